package org.concurrencylab.process.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The book's 13.7 and 13.8: encrypt 100 random texts of 1,000 letters, one child per text, first all at
 * once, then at most one per core (the book's semaphore, here the service's {@code process_max}). The book
 * uses gpg; gpg starts a long-lived agent per home directory, so this demo uses {@code openssl enc}
 * (AES-256, a key derived from the book's passphrase) and decrypts one text to show the round trip.
 */
public final class EncryptDemo implements Demo {

  private static final String PASSPHRASE = "3ncryptm3";

  @Override
  public String name() {
    return "process-encrypt";
  }

  @Override
  public String summary() {
    return "13.7-13.8: encrypt 100 texts with openssl children, all at once, then bounded at one per core";
  }

  @Override
  public Future<JsonObject> run(DemoContext ctx) {
    int count = ctx.intOption("texts", 100);
    int cores = Runtime.getRuntime().availableProcessors();
    Random random = new Random(ctx.intOption("seed", 42));
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder text = new StringBuilder(1_000);
      for (int j = 0; j < 1_000; j++) {
        text.append((char) ('a' + random.nextInt(26)));
      }
      texts.add(text.toString());
    }
    JsonObject out = new JsonObject().put("texts", count).put("cores", cores);
    ctx.say("Encrypting %d texts of 1,000 letters with openssl enc -aes-256-cbc -pbkdf2, one child each.", count);
    return pass(ctx, texts, count, "all at once")
      .compose(atOnce -> {
        out.put("allAtOnce", atOnce);
        return pass(ctx, texts, cores, "at most " + cores + " at once (one per core)");
      })
      .map(bounded -> {
        out.put("bounded", bounded);
        boolean same = bounded.getString("decrypted").equals(texts.get(0));
        ctx.say("Decrypted the first text again: it %s the original (%s...).", same ? "equals" : "DIFFERS FROM",
          bounded.getString("decrypted").substring(0, Math.min(20, bounded.getString("decrypted").length())));
        bounded.remove("decrypted");
        out.getJsonObject("allAtOnce").remove("decrypted");
        return out.put("roundTrip", same);
      });
  }

  private Future<JsonObject> pass(DemoContext ctx, List<String> texts, int maxRunning, String label) {
    return DemoService.deploy(ctx, List.of("openssl"), maxRunning).compose(deployment -> {
      long start = System.nanoTime();
      List<Future<JsonObject>> runs = new ArrayList<>();
      for (String text : texts) {
        runs.add(DemoService.run(ctx, openssl(false).put("stdin", text)));
      }
      return Future.all(runs).compose(all -> {
        double ms = DemoService.millisSince(start);
        long failed = runs.stream().filter(run -> run.result().getInteger("exitCode") != 0).count();
        double waited = runs.stream().mapToDouble(run -> run.result().getDouble("queuedMs")).max().orElse(0);
        double running = runs.stream().mapToDouble(run -> run.result().getDouble("durationMs")).average().orElse(0);
        ctx.say("  %-38s %6.0f ms in all; a child ran %5.1f ms on average; the last began %5.0f ms after it was asked; "
          + "%d failed", label, ms, running, waited, failed);
        JsonObject pass = new JsonObject().put("ms", ms).put("failed", failed).put("maxQueuedMs", waited)
          .put("meanChildMs", Math.round(running * 10) / 10.0);
        return DemoService.run(ctx, openssl(true).put("stdin", runs.get(0).result().getString("stdout")))
          .map(decrypted -> pass.put("decrypted", decrypted.getString("stdout")));
      }).eventually(() -> ctx.vertx().undeploy(deployment));
    });
  }

  private static JsonObject openssl(boolean decrypt) {
    JsonArray args = new JsonArray().add("enc").add("-aes-256-cbc").add("-pbkdf2").add("-a").add("-A")
      .add("-pass").add("pass:" + PASSPHRASE);
    if (decrypt) {
      args.add("-d");
    }
    return new JsonObject().put("command", "openssl").put("args", args);
  }
}
