package org.concurrencylab.chat.client;

import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code chat HOST PORT --user NAME}: the terminal chat client. */
@Command(name = "chat", mixinStandardHelpOptions = true,
  description = {"Chat with the lab's chat server (or the book's): lines typed go to the room, lines of the room "
    + "appear above the line being typed. Ctrl-D leaves.",
    "Without a terminal, reads lines from stdin and prints the room's lines (for scripts)."})
public final class ChatClientCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "Server host, e.g. 127.0.0.1.")
  String host;

  @Parameters(index = "1", description = "Server port (the lab's chat: 8001).")
  int port;

  @Option(names = "--user", required = true, description = "Your username (at most 32 characters).")
  String user;

  @Option(names = "--linger-ms", defaultValue = "2000",
    description = "Without a terminal: after the last input line, wait this long at most for it to come back.")
  long lingerMs;

  @Override
  public Integer call() throws Exception {
    ChatClient client = new ChatClient(host, port, user, lingerMs, System.out, System.err);
    if (System.console() == null) {
      return client.runWithLines(System.in);
    }
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
      return client.runOnTerminal(reader);
    }
  }
}
