package org.concurrencylab.blocking;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** scrypt itself (against published vectors) and {@code blocking.scrypt} on the bus. */
class ScryptServiceTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Await.result(vertx.deployVerticle(new ScryptVerticle("test", 2)));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void matchesRfc7914TestVectors() {
    assertThatCode(Scrypt::verify).doesNotThrowAnyException();
    byte[] empty = Scrypt.hash(new byte[0], new byte[0], 16, 1, 1, 64);
    assertThat(HexFormat.of().formatHex(empty)).isEqualTo("77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede2144"
      + "2fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
  }

  @Test
  void givesTheSameKeysAsBouncyCastle() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    for (int i = 0; i < 5; i++) {
      byte[] password = new byte[random.nextInt(0, 40)];
      byte[] salt = new byte[random.nextInt(0, 32)];
      random.nextBytes(password);
      random.nextBytes(salt);
      int r = 1 + random.nextInt(8);
      int p = 1 + random.nextInt(3);
      assertThat(Scrypt.hash(password, salt, 256, r, p, 48))
        .isEqualTo(org.bouncycastle.crypto.generators.SCrypt.generate(password, salt, 256, r, p, 48));
    }
    byte[] salt = Scrypt.items(1, 5).get(0).salt();
    assertThat(Scrypt.hash("abcdefghij".getBytes(StandardCharsets.US_ASCII), salt)).isEqualTo(
      org.bouncycastle.crypto.generators.SCrypt.generate("abcdefghij".getBytes(StandardCharsets.US_ASCII), salt, 2048, 8, 1, 64));
  }

  @Test
  void hashesEachPasswordWithItsOwnSaltOnTheWorkerPool() {
    JsonObject reply = Await.result(Bus.request(vertx, ScryptVerticle.SCRYPT,
      new JsonObject().put("passwords", new JsonArray().add("hunter2").add("hunter2")), 30_000));

    JsonArray hashes = reply.getJsonArray("hashes");
    assertThat(hashes).hasSize(2);
    JsonObject first = hashes.getJsonObject(0);
    assertThat(first.getString("salt")).hasSize(32);
    assertThat(first.getString("hash")).hasSize(128);
    assertThat(first.getString("hash")).isNotEqualTo(hashes.getJsonObject(1).getString("hash"));
    byte[] again = Scrypt.hash("hunter2".getBytes(StandardCharsets.UTF_8), HexFormat.of().parseHex(first.getString("salt")));
    assertThat(HexFormat.of().formatHex(again)).isEqualTo(first.getString("hash"));

    JsonObject status = Await.result(Bus.request(vertx, "blocking.status", new JsonObject()));
    assertThat(status.getJsonObject("stats").getLong("hashed")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void refusesBadRequests() {
    for (JsonObject bad : new JsonObject[] {new JsonObject(), new JsonObject().put("passwords", new JsonArray()),
      new JsonObject().put("passwords", new JsonArray().add(3))}) {
      Throwable failure = Await.failure(Bus.request(vertx, ScryptVerticle.SCRYPT, bad), Duration.ofSeconds(5));
      assertThat(((ReplyException) failure).failureCode()).isEqualTo(400);
    }
  }
}
