package org.concurrencylab.chat;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The book's chat protocol (listings 8.13/8.14) and the limits this server adds to it. Lines are UTF-8 and end
 * with {@code \n}; a {@code \r} before it is dropped, so {@code telnet} and {@code nc -C} work too.
 *
 * <ul>
 *   <li>The first line must be {@code CONNECT <username>}.</li>
 *   <li>The newcomer gets {@code Welcome! N user(s) are online!}; everyone else {@code <username> connected!}.</li>
 *   <li>Every later line L goes to everyone, the sender included, as {@code <username>: L}.</li>
 *   <li>When a user goes, the others get {@code <username> has left the chat}.</li>
 * </ul>
 *
 * Where the server closes a socket on purpose it first sends one line saying why (the constants and
 * factories below). None of them contains {@code ": "}, so no error line can pass for a chat line.
 */
public final class ChatProtocol {

  /** The command of the first line. */
  public static final String CONNECT = "CONNECT";
  /** The longest username, in characters (code points). */
  public static final int MAX_USERNAME = 32;
  /** The longest line a client may send, in bytes, without its newline. */
  public static final int MAX_LINE_BYTES = 4096;

  public static final String USERNAME_TAKEN = "Username taken";
  public static final String USERNAME_EMPTY = "Username must not be empty";
  public static final String USERNAME_TOO_LONG = "Username too long (at most " + MAX_USERNAME + " characters)";
  public static final String USERNAME_CONTROL = "Username must not contain control characters";
  public static final String EXPECTED_CONNECT = "Expected CONNECT <username> as the first line";
  public static final String LINE_TOO_LONG = "Line too long (at most " + MAX_LINE_BYTES + " bytes)";
  /** Invalid UTF-8 is refused, not replaced: the line is not delivered and the sender is disconnected. */
  public static final String INVALID_UTF8 = "Invalid UTF-8 (the line was refused)";

  private static final byte[] LEFT = " has left the chat\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CONNECTED = " connected!\n".getBytes(StandardCharsets.UTF_8);

  private ChatProtocol() {
  }

  public static String welcome(int online) {
    return "Welcome! " + online + " user(s) are online!";
  }

  public static String full(int maxUsers) {
    return "Chat is full (" + maxUsers + " users online)";
  }

  public static String idle(int seconds) {
    return "Idle for " + seconds + " s, disconnected";
  }

  public static String tooSlow(int outboxKib) {
    return "Too slow, disconnected (more than " + outboxKib + " KiB of chat unread)";
  }

  /** The prefix of every line a user says: {@code <username>: }, encoded once per user. */
  public static byte[] speakerPrefix(String username) {
    return (username + ": ").getBytes(StandardCharsets.UTF_8);
  }

  /** {@code <username> connected!\n}. */
  public static Buffer connected(String username) {
    return Buffer.buffer(username.length() + CONNECTED.length).appendString(username).appendBytes(CONNECTED);
  }

  /** {@code <username> has left the chat\n}. */
  public static Buffer left(String username) {
    return Buffer.buffer(username.length() + LEFT.length).appendString(username).appendBytes(LEFT);
  }

  /** One line of text with its newline, as a Buffer. */
  public static Buffer line(String text) {
    return Buffer.buffer(text.length() + 1).appendString(text).appendByte((byte) '\n');
  }

  /**
   * The username of a first line, or null when the line is not {@code CONNECT <username>}. Spaces around the
   * name are dropped, as the book's server does; the name is checked by {@link #usernameProblem(String)}.
   */
  public static String usernameOf(String firstLine) {
    if (!firstLine.startsWith(CONNECT + " ")) {
      return null;
    }
    return firstLine.substring(CONNECT.length() + 1).strip();
  }

  /** Why a username cannot be used, as the line the server sends, or null when it is fine. */
  public static String usernameProblem(String username) {
    if (username == null || username.isEmpty()) {
      return USERNAME_EMPTY;
    }
    if (username.codePoints().anyMatch(ChatProtocol::isControl)) {
      return USERNAME_CONTROL;
    }
    if (username.codePointCount(0, username.length()) > MAX_USERNAME) {
      return USERNAME_TOO_LONG;
    }
    return null;
  }

  /** C0 and C1 controls, DEL, and the line and paragraph separators: nothing that moves a terminal's cursor. */
  private static boolean isControl(int codePoint) {
    return Character.isISOControl(codePoint) || codePoint == 0x2028 || codePoint == 0x2029;
  }

  /** Strips one trailing {@code \r} (a line from telnet or {@code nc -C}). */
  public static Buffer withoutCarriageReturn(Buffer line) {
    int length = line.length();
    return length > 0 && line.getByte(length - 1) == '\r' ? line.slice(0, length - 1) : line;
  }

  /**
   * True when {@code bytes[from, to)} is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
   * U+10FFFF). Checked in place, so a valid line is relayed as the bytes it came as, never decoded.
   */
  public static boolean isValidUtf8(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xff;
      int extra;
      int min;
      if (b >= 0xc2 && b <= 0xdf) {
        extra = 1;
        min = 0x80;
      } else if (b >= 0xe0 && b <= 0xef) {
        extra = 2;
        min = 0x800;
      } else if (b >= 0xf0 && b <= 0xf4) {
        extra = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + extra >= to) {
        return false; // the sequence is cut off by the end of the line
      }
      int codePoint = b & (0x3f >> extra);
      for (int k = 1; k <= extra; k++) {
        int next = bytes[i + k] & 0xff;
        if ((next & 0xc0) != 0x80) {
          return false;
        }
        codePoint = (codePoint << 6) | (next & 0x3f);
      }
      if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
        return false;
      }
      i += extra + 1;
    }
    return true;
  }

  /** A username as it may appear in logs: control characters escaped. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(40).forEach(c -> {
      if (isControl(c)) {
        out.append(String.format(Locale.ROOT, "\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }
}
