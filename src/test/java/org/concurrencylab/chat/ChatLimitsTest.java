package org.concurrencylab.chat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The limits that keep one user from hurting the others: room size, idleness, and readers that fall behind. */
class ChatLimitsTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void oneUserMoreThanTheLimitIsRefused() {
    try (ChatLab lab = ChatLab.start(vertx, new JsonObject().put("chat_max_users", 2));
         LineClient a = LineClient.join(lab.port, "a");
         LineClient b = LineClient.join(lab.port, "b");
         LineClient c = LineClient.connect(lab.port)) {
      c.send("CONNECT c");
      assertThat(c.untilClosed()).containsExactly(ChatProtocol.full(2));
      assertThat(a.drain()).doesNotContain("c connected!");
      b.close();
      a.await("b has left the chat");
      try (LineClient again = LineClient.connect(lab.port)) {
        again.send("CONNECT c");
        assertThat(again.next()).isEqualTo("Welcome! 2 user(s) are online!");
      }
    }
  }

  @Test
  void anIdleUserIsDisconnectedWithAReasonAndTheOthersSeeThemLeave() {
    try (ChatLab lab = ChatLab.start(vertx, new JsonObject().put("chat_idle_timeout_s", 1));
         LineClient quiet = LineClient.join(lab.port, "quiet");
         LineClient talker = LineClient.join(lab.port, "talker")) {
      // The talker keeps talking; the quiet one only reads, so only the quiet one goes.
      for (int i = 0; i < 40 && !talker.seen().contains("quiet has left the chat"); i++) {
        talker.send("tick " + i);
        talker.await("talker: tick " + i);
        sleep(100);
      }
      assertThat(talker.seen()).contains("quiet has left the chat");
      assertThat(quiet.untilClosed()).last().isEqualTo(ChatProtocol.idle(1));
      assertThat(lab.stats().getJsonObject("disconnected").getLong("idle")).isEqualTo(1);
    }
  }

  @Test
  void aConnectionThatNeverSaysConnectIsClosedWhenIdle() {
    try (ChatLab lab = ChatLab.start(vertx, new JsonObject().put("chat_idle_timeout_s", 1));
         LineClient silent = LineClient.connect(lab.port)) {
      assertThat(silent.untilClosed()).containsExactly(ChatProtocol.idle(1));
    }
  }

  /**
   * A client that never reads: its unsent chat grows to the outbox limit, then it is dropped with a reason,
   * the others see it leave, and they kept receiving every line all along. The largest outbox the server
   * ever held stays under the limit (memory is bounded whatever the slow client does).
   */
  @Test
  void aReaderThatFallsBehindIsDroppedAndTheOthersKeepReceiving() {
    int outboxKib = 64;
    try (ChatLab lab = ChatLab.start(vertx, new JsonObject().put("chat_outbox_kib", outboxKib));
         LineClient watcher = LineClient.join(lab.port, "watcher");
         LineClient talker = LineClient.join(lab.port, "talker");
         LineClient sleeper = LineClient.neverReading(lab.port)) {
      sleeper.send("CONNECT sleeper");
      watcher.await("sleeper connected!");
      String payload = "z".repeat(4000);
      int sent = 0;
      // Rounds of 16 lines, each waited for by the watcher: the readers that do read never fall behind. The
      // kernel's socket buffers take a few MB for the sleeper first; 50 MB is far more than they hold.
      while (!watcher.seen().contains("sleeper has left the chat") && sent < 12_500) {
        for (int i = 0; i < 16; i++, sent++) {
          talker.send(sent + " " + payload);
        }
        int last = sent - 1;
        watcher.await(line -> line.startsWith("talker: " + last + " "));
      }
      assertThat(watcher.seen()).contains("sleeper has left the chat");
      talker.send("after");
      watcher.await("talker: after");
      List<String> lines = watcher.seen();
      long received = lines.stream().filter(line -> line.startsWith("talker: ") && line.endsWith(payload)).count();
      assertThat(received).isEqualTo(sent);

      JsonObject stats = lab.stats();
      assertThat(stats.getJsonObject("disconnected").getLong("too_slow")).isEqualTo(1);
      assertThat(stats.getLong("largest_outbox_bytes")).isPositive().isLessThanOrEqualTo(outboxKib * 1024L);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
