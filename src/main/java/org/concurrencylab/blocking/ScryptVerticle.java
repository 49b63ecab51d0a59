package org.concurrencylab.blocking;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.bus.ServiceStatus;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code blocking} service: {@code blocking.scrypt} hashes passwords with scrypt on a worker pool of
 * one thread per core, so the event loop that received the request stays free (the book's 7.17 as a
 * service). The verticle itself runs on an event loop and only hands the work over.
 */
public final class ScryptVerticle extends VerticleBase {

  public static final String SERVICE = "blocking";
  public static final String SCRYPT = "blocking.scrypt";
  static final int MAX_PASSWORDS = 1_000;

  private final SecureRandom salts = new SecureRandom();
  private final AtomicLong hashed = new AtomicLong();
  private final String node;
  private final int threads;
  private WorkerExecutor pool;

  ScryptVerticle(String node, int threads) {
    this.node = node;
    this.threads = threads;
  }

  @Override
  public Future<?> start() {
    pool = vertx.createSharedWorkerExecutor("scrypt", threads);
    return Future.all(
      Bus.serve(vertx, SCRYPT, this::hash),
      ServiceStatus.serve(vertx, SERVICE, node, new JsonArray(),
        () -> new JsonObject().put("hashed", hashed.get()).put("threads", threads)));
  }

  /** {@code {passwords: [...]}} -> {@code {hashes: [{salt, hash}], ms}}, each password with a fresh salt. */
  private Future<JsonObject> hash(Message<Object> message) {
    JsonArray passwords = Bus.jsonBody(message).getJsonArray("passwords");
    if (passwords == null || passwords.isEmpty() || passwords.size() > MAX_PASSWORDS
      || !passwords.stream().allMatch(p -> p instanceof String s && s.length() <= 1_024)) {
      throw Failure.BAD_REQUEST.exception("passwords must be 1 to " + MAX_PASSWORDS
        + " strings of at most 1024 characters");
    }
    long started = System.nanoTime();
    List<Future<JsonObject>> hashes = new ArrayList<>();
    for (Object password : passwords) {
      byte[] salt = new byte[Scrypt.SALT_BYTES];
      salts.nextBytes(salt);
      byte[] bytes = ((String) password).getBytes(StandardCharsets.UTF_8);
      // ordered=false: the hashes of one request may run on every thread of the pool at once.
      hashes.add(pool.executeBlocking(() -> new JsonObject()
        .put("salt", HexFormat.of().formatHex(salt))
        .put("hash", HexFormat.of().formatHex(Scrypt.hash(bytes, salt))), false));
    }
    return Future.all(hashes).map(all -> {
      hashed.addAndGet(hashes.size());
      return new JsonObject()
        .put("hashes", new JsonArray(hashes.stream().map(Future::result).toList()))
        .put("ms", (System.nanoTime() - started) / 1e6);
    });
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
