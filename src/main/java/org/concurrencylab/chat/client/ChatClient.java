package org.concurrencylab.chat.client;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The book's chat client (listings 8.4-8.11): the socket is read on a Vert.x event loop while the user types
 * on a thread of its own, so incoming lines never wait for the user, and the user's half-typed line is never
 * broken by them. On a terminal, JLine prints each incoming line above the prompt and redraws what was being
 * typed ({@link LineReader#printAbove}); Ctrl-D (or Ctrl-C) leaves. Without a terminal, lines are read from
 * the input stream and received lines printed as they come, so scripts and tests can drive it; at the end of
 * the input it waits (up to the linger time) for its own last line to come back, then leaves.
 */
public final class ChatClient {

  /** The user left (end of input, Ctrl-D). */
  public static final int LEFT = 0;
  /** The server refused the user, closed the connection, or could not be reached. */
  public static final int DISCONNECTED = 1;

  private final String host;
  private final int port;
  private final String user;
  private final long lingerMs;
  private final PrintStream out;
  private final PrintStream err;
  private final CompletableFuture<Integer> done = new CompletableFuture<>();
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicInteger echoed = new AtomicInteger();
  private volatile boolean inputEnded;
  private volatile LineReader terminal;
  private volatile NetSocket socket;

  public ChatClient(String host, int port, String user, long lingerMs, PrintStream out, PrintStream err) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.lingerMs = lingerMs;
    this.out = out;
    this.err = err;
  }

  /** Chats with lines typed on a terminal through {@code reader}; returns the exit code. */
  public int runOnTerminal(LineReader reader) {
    this.terminal = reader;
    return run(() -> {
      while (!done.isDone()) {
        String line;
        try {
          line = reader.readLine("> ");
        } catch (EndOfFileException | UserInterruptException e) {
          finish(LEFT);
          return;
        }
        send(line);
      }
    });
  }

  /** Chats with lines read from {@code in} (no terminal); returns the exit code. */
  public int runWithLines(InputStream in) {
    return run(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while (!done.isDone() && (line = reader.readLine()) != null) {
          send(line);
        }
      } catch (IOException e) {
        err.println("error: reading input: " + e.getMessage());
      }
      inputEnded = true;
      if (echoed.get() >= sent.get()) {
        finish(LEFT);
      } else {
        // Wait at most the linger time for the rest of our lines to come back.
        CompletableFuture.delayedExecutor(lingerMs, TimeUnit.MILLISECONDS).execute(() -> finish(LEFT));
      }
    });
  }

  private int run(Runnable input) {
    Vertx vertx = Vertx.vertx();
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000).setTcpNoDelay(true));
    NetSocket socket;
    try {
      socket = client.connect(port, host).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      err.println("error: cannot connect to " + host + ":" + port + " (" + cause.getMessage() + ")");
      vertx.close();
      return DISCONNECTED;
    }
    this.socket = socket;
    RecordParser.newDelimited("\n", socket).handler(this::received);
    socket.closeHandler(v -> {
      if (!done.isDone()) {
        show("(disconnected by the server)");
        finish(DISCONNECTED);
      }
    });
    socket.write("CONNECT " + user + "\n");
    Thread typing = new Thread(input, "chat-input");
    typing.setDaemon(true); // a read blocked on stdin must not keep the JVM alive
    typing.start();
    int code = done.join();
    if (code == LEFT) {
      socket.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    return code;
  }

  private void send(String line) {
    sent.incrementAndGet();
    socket.write(line + "\n");
  }

  private void received(Buffer raw) {
    String line = raw.toString(StandardCharsets.UTF_8);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    show(line);
    if (line.startsWith(user + ": ") && echoed.incrementAndGet() >= sent.get() && inputEnded) {
      finish(LEFT);
    }
  }

  private void show(String line) {
    LineReader reader = terminal;
    if (reader != null) {
      reader.printAbove(line);
    } else {
      out.println(line);
      out.flush();
    }
  }

  private void finish(int code) {
    done.complete(code);
  }
}
