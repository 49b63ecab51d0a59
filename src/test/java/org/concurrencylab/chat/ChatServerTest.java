package org.concurrencylab.chat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The book's protocol over TCP, and the errors this server adds, as a plain socket client sees them. */
class ChatServerTest {

  private static Vertx vertx;
  private static ChatLab lab;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    lab = ChatLab.start(vertx, new JsonObject());
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
    Await.result(vertx.close());
  }

  /**
   * The tests share one room, and each expects it empty: the users of the test before have closed their sockets,
   * but the server learns of a close on the event loop of that connection, which need not be the one of the next
   * test's connection. Until the registry has let them go, a newcomer would count them or see them leave.
   */
  @BeforeEach
  void theUsersOfTheTestBeforeHaveLeft() {
    Await.until(() -> {
      JsonObject stats = lab.stats();
      return stats.getInteger("here") == 0 && stats.getInteger("online") == 0;
    }, Duration.ofSeconds(10), "an empty room");
  }

  @Test
  void usersAreWelcomedAnnouncedAndGetEveryLineTheSenderIncluded() {
    try (LineClient alice = LineClient.connect(lab.port); LineClient bob = LineClient.connect(lab.port)) {
      alice.send("CONNECT alice");
      assertThat(alice.next()).isEqualTo("Welcome! 1 user(s) are online!");
      bob.send("CONNECT bob");
      assertThat(bob.next()).isEqualTo("Welcome! 2 user(s) are online!");
      assertThat(alice.next()).isEqualTo("bob connected!");

      bob.send("hello there");
      assertThat(alice.next()).isEqualTo("bob: hello there");
      assertThat(bob.next()).isEqualTo("bob: hello there");

      alice.send("héllo, 世界\r"); // CRLF from telnet: the \r is dropped; UTF-8 passes through as sent
      assertThat(alice.next()).isEqualTo("alice: héllo, 世界");
      assertThat(bob.next()).isEqualTo("alice: héllo, 世界");

      bob.close();
      assertThat(alice.next()).isEqualTo("bob has left the chat");
    }
  }

  @Test
  void linesSentRightBehindConnectAreKeptInOrder() {
    try (LineClient carol = LineClient.connect(lab.port)) {
      carol.send("CONNECT carol\none\ntwo\nthree");
      assertThat(carol.next()).startsWith("Welcome! ");
      assertThat(List.of(carol.next(), carol.next(), carol.next()))
        .containsExactly("carol: one", "carol: two", "carol: three");
    }
  }

  @Test
  void aFirstLineThatIsNotConnectGetsAnErrorAndTheSocketIsClosed() {
    try (LineClient client = LineClient.connect(lab.port)) {
      client.send("HELLO server");
      assertThat(client.untilClosed()).containsExactly(ChatProtocol.EXPECTED_CONNECT);
    }
  }

  @Test
  void aTakenUsernameIsRefused() {
    try (LineClient dave = LineClient.join(lab.port, "dave"); LineClient other = LineClient.connect(lab.port)) {
      other.send("CONNECT dave");
      assertThat(other.untilClosed()).containsExactly("Username taken");
      dave.send("still me");
      assertThat(dave.await(line -> line.startsWith("dave: "))).isEqualTo("dave: still me");
    }
  }

  @Test
  void emptyOverlongAndControlCharacterUsernamesAreRefused() {
    assertThat(refusal("CONNECT ")).isEqualTo(ChatProtocol.USERNAME_EMPTY);
    assertThat(refusal("CONNECT " + "x".repeat(33))).isEqualTo(ChatProtocol.USERNAME_TOO_LONG);
    assertThat(refusal("CONNECT bad\u0007bell")).isEqualTo(ChatProtocol.USERNAME_CONTROL);
    assertThat(refusal("CONNECT esc\u001b[2Jape")).isEqualTo(ChatProtocol.USERNAME_CONTROL);
    // 32 characters of four bytes each is still fine: the limit counts characters.
    try (LineClient ok = LineClient.join(lab.port, "😀".repeat(32))) {
      ok.send("fits");
      assertThat(ok.await(line -> line.endsWith(": fits"))).startsWith("😀");
    }
  }

  private static String refusal(String firstLine) {
    try (LineClient client = LineClient.connect(lab.port)) {
      client.send(firstLine);
      List<String> lines = client.untilClosed();
      assertThat(lines).hasSize(1);
      return lines.get(0);
    }
  }

  @Test
  void aLineOver4KiBDisconnectsTheSenderAndTheOthersSeeThemLeave() {
    try (LineClient erin = LineClient.join(lab.port, "erin"); LineClient frank = LineClient.join(lab.port, "frank")) {
      String limit = "a".repeat(ChatProtocol.MAX_LINE_BYTES);
      frank.send(limit);
      assertThat(erin.await(line -> line.startsWith("frank: "))).hasSize("frank: ".length() + 4096);

      frank.send(limit + "b");
      assertThat(frank.untilClosed()).last().isEqualTo(ChatProtocol.LINE_TOO_LONG);
      erin.await("frank has left the chat");
      assertThat(erin.drain()).noneMatch(line -> line.startsWith("frank: a"));
    }
  }

  @Test
  void aLineLongerThan4KiBWithoutANewlineIsRefusedBeforeItEnds() {
    try (LineClient gina = LineClient.join(lab.port, "gina")) {
      gina.sendBytes("x".repeat(10_000).getBytes(StandardCharsets.US_ASCII));
      assertThat(gina.untilClosed()).last().isEqualTo(ChatProtocol.LINE_TOO_LONG);
    }
  }

  @Test
  void invalidUtf8IsRefusedNotRelayed() {
    try (LineClient hank = LineClient.join(lab.port, "hank"); LineClient ivy = LineClient.join(lab.port, "ivy")) {
      ivy.sendBytes(new byte[] {'o', 'k', (byte) 0xc3, '(', '\n'});
      assertThat(ivy.untilClosed()).last().isEqualTo(ChatProtocol.INVALID_UTF8);
      hank.await("ivy has left the chat");
      assertThat(hank.drain()).noneMatch(line -> line.startsWith("ivy: "));
    }
  }

  @Test
  void statusCountsWhatHappened() {
    try (LineClient jay = LineClient.join(lab.port, "jay")) {
      jay.send("counted");
      jay.await("jay: counted");
      JsonObject stats = lab.stats();
      assertThat(stats.getLong("lines_in")).isPositive();
      assertThat(stats.getLong("deliveries")).isGreaterThanOrEqualTo(stats.getLong("lines_in"));
      assertThat(stats.getInteger("online")).isPositive();
    }
  }
}
