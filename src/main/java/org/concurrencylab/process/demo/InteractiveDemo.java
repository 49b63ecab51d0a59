package org.concurrencylab.process.demo;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.process.OutputFollower;
import org.concurrencylab.process.ProcessAddresses;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The book's 13.9-13.14: a child that prompts {@code Enter text to echo: } (no newline) and echoes each answer
 * until {@code quit}. The driver answers only when the prompt has arrived, as 13.14 does with an Event: the
 * service hands on a line the child left unfinished, so the prompt is seen although it ends no line.
 */
public final class InteractiveDemo implements Demo {

  static final String PROMPT = "Enter text to echo: ";
  static final String CHILD = "echo_prompt.py";

  @Override
  public String name() {
    return "process-interactive";
  }

  @Override
  public String summary() {
    return "13.9-13.14: an interactive child: wait for its prompt, answer it, until quit";
  }

  @Override
  public Future<JsonObject> run(DemoContext ctx) {
    Deque<String> answers = new ArrayDeque<>(List.of("one", "two", "three", "four", "quit"));
    DemoService.copyResource(ctx, CHILD);
    ctx.say("Child: python3 %s (the book's 13.13). Answers, each sent once the prompt is there: %s", CHILD, answers);
    long start = System.nanoTime(); // includes the start of Python, which is most of the time
    JsonArray transcript = new JsonArray();
    StringBuilder current = new StringBuilder();
    int[] prompts = {0};
    Promise<JsonObject> exit = Promise.promise();
    return DemoService.deploy(ctx, List.of("python3"), 0)
      .compose(deployment -> Bus.<JsonObject>request(ctx.vertx(), ProcessAddresses.RUN, new JsonObject()
        .put("command", "python3").put("args", new JsonArray().add(CHILD)).put("keepStdinOpen", true)
        .put("timeoutMs", 30_000)))
      .compose(started -> {
        String id = started.getString("id");
        return OutputFollower.follow(ctx.vertx(), id, event -> {
          if ("exit".equals(event.getString("type"))) {
            exit.tryComplete(event);
            return;
          }
          if (!"stdout".equals(event.getString("stream"))) {
            return;
          }
          JsonArray lines = event.getJsonArray("lines");
          for (int i = 0; i < lines.size(); i++) {
            current.append(lines.getString(i));
            boolean unfinished = i == lines.size() - 1 && event.getBoolean("partial");
            if (!unfinished) {
              say(ctx, start, transcript, "child", current.toString());
              current.setLength(0);
            }
          }
          if (current.toString().endsWith(PROMPT) && !answers.isEmpty()) {
            prompts[0]++;
            String answer = answers.poll();
            say(ctx, start, transcript, "child", current + "(the prompt: no newline)");
            say(ctx, start, transcript, "we", answer);
            current.setLength(0);
            Bus.request(ctx.vertx(), ProcessAddresses.stdin(id), new JsonObject().put("data", answer + "\n"))
              .onFailure(exit::tryFail);
          }
        });
      })
      .compose(follower -> exit.future())
      .map(result -> {
        ctx.say("The child exited with %d after %.0f ms, having prompted %d times.", result.getInteger("exitCode"),
          DemoService.millisSince(start), prompts[0]);
        return new JsonObject().put("exitCode", result.getInteger("exitCode")).put("prompts", prompts[0])
          .put("transcript", transcript);
      });
  }

  private static void say(DemoContext ctx, long start, JsonArray transcript, String who, String text) {
    ctx.say("  %6.0f ms  %-5s | %s", DemoService.millisSince(start), who, text);
    transcript.add(who + ": " + text);
  }
}
