package org.concurrencylab.chat.client;

import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Ports;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The chat client against the lab's server: driven by piped lines (scripts) and by a terminal (JLine). */
class ChatClientTest {

  private static ChatLab lab;
  private static int port;

  @BeforeAll
  static void start() {
    lab = new ChatLab();
    port = lab.port;
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  @Test
  void withoutATerminalItSendsStdinLinesAndPrintsTheRoomUntilItsLinesCameBack() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ChatClient client = new ChatClient("127.0.0.1", port, "zoe", 5_000, new PrintStream(printed, true, StandardCharsets.UTF_8), System.err);
    try (RawUser watcher = new RawUser("watcher")) {
      int code = client.runWithLines(new ByteArrayInputStream("hello\nworld\n".getBytes(StandardCharsets.UTF_8)));

      assertThat(code).isEqualTo(ChatClient.LEFT);
      assertThat(printed.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("Welcome! 2 user(s) are online!", "zoe: hello", "zoe: world");
      assertThat(watcher.readUntil("zoe has left the chat")).contains("zoe: hello", "zoe: world");
    }
  }

  @Test
  void aRefusedNameEndsWithTheServersReasonAndExitCodeOne() throws Exception {
    try (RawUser taken = new RawUser("yann")) {
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      ChatClient client = new ChatClient("127.0.0.1", port, "yann", 1_000, new PrintStream(printed, true, StandardCharsets.UTF_8), System.err);
      // The input never ends: the server's close is what ends the client.
      int code = client.runWithLines(new PipedInputStream(new PipedOutputStream()));
      assertThat(code).isEqualTo(ChatClient.DISCONNECTED);
      assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("Username taken");
    }
  }

  @Test
  void nothingListeningIsAClearErrorAndExitCodeOne() {
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    ChatClient client = new ChatClient("127.0.0.1", Ports.free(), "x", 0, System.out, new PrintStream(errors, true, StandardCharsets.UTF_8));
    assertThat(client.runWithLines(new ByteArrayInputStream(new byte[0]))).isEqualTo(ChatClient.DISCONNECTED);
    assertThat(errors.toString(StandardCharsets.UTF_8)).startsWith("error: cannot connect to 127.0.0.1:");
  }

  /**
   * On a terminal, a line arriving while the user types appears above the prompt, and the half-typed line is
   * drawn again below it, intact; Enter sends it; Ctrl-D leaves with exit code 0.
   */
  @Test
  void onATerminalIncomingLinesAppearAboveTheLineBeingTyped() throws Exception {
    PipedOutputStream keys = new PipedOutputStream();
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    try (Terminal terminal = TerminalBuilder.builder().system(false).type("xterm").size(new org.jline.terminal.Size(80, 24))
           .streams(new PipedInputStream(keys), screen).build();
         RawUser bob = new RawUser("bob")) {
      LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
      ChatClient client = new ChatClient("127.0.0.1", port, "tom", 0, System.out, System.err);
      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> client.runOnTerminal(reader));
      bob.readUntil("tom connected!");

      type(keys, "half typ");
      bob.say("hi tom");
      // Bob's line, then below it the prompt with what tom had typed, redrawn.
      Await.until(() -> shown(screen).contains("bob: hi tom")
          && shown(screen).substring(shown(screen).lastIndexOf("bob: hi tom")).contains("> half typ"),
        Duration.ofSeconds(10), "bob's line above tom's half-typed line");

      type(keys, "ed\r");
      assertThat(bob.readUntil("tom: half typed")).isNotEmpty();
      // Ctrl-D ends only an empty line being read: wait until tom's own line came back and the prompt is drawn
      // again below it, so the key reaches a fresh prompt rather than a redraw in progress.
      Await.until(() -> shown(screen).contains("tom: half typed")
          && shown(screen).substring(shown(screen).lastIndexOf("tom: half typed")).contains("> "),
        Duration.ofSeconds(10), "tom's line shown and a fresh prompt below it");
      type(keys, "\u0004"); // Ctrl-D
      assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ChatClient.LEFT);
      bob.readUntil("tom has left the chat");
    }
  }

  private static void type(OutputStream keys, String text) throws Exception {
    keys.write(text.getBytes(StandardCharsets.UTF_8));
    keys.flush();
  }

  private static String shown(ByteArrayOutputStream screen) {
    return screen.toString(StandardCharsets.UTF_8);
  }

  /** A user on a plain socket, for what the client's room mates see. */
  private static final class RawUser implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;

    RawUser(String name) throws Exception {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      say("CONNECT " + name);
      assertThat(in.readLine()).startsWith("Welcome!");
    }

    void say(String line) throws Exception {
      socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Every line up to and including {@code last}. */
    java.util.List<String> readUntil(String last) throws Exception {
      java.util.List<String> lines = new java.util.ArrayList<>();
      String line;
      do {
        line = in.readLine();
        assertThat(line).as("a line before " + last).isNotNull();
        lines.add(line);
      } while (!line.equals(last));
      return lines;
    }

    @Override
    public void close() throws Exception {
      socket.close();
    }
  }
}
