package org.concurrencylab.echo;

import java.nio.ByteBuffer;

/**
 * Watches one connection's byte stream for the line {@code boom} (ended by {@code \n} or {@code \r\n}), the
 * fault the book's listing 3.10 injects: {@code if data == b'boom\r\n': raise Exception("Unexpected network
 * error")}. Unlike the book, it finds the line wherever TCP splits or merges it.
 *
 * <p>The echo's hot path runs every byte through here, so it skips from line end to line end eight bytes at a
 * time (a word-wide test for {@code \n}) and looks closely only at the first bytes of each line.
 */
public final class BoomLine {

  /** Thrown into the connection's handling when the line arrives; the server logs it and closes that connection. */
  public static final class Boom extends RuntimeException {
    Boom() {
      super("Unexpected network error (the client sent the line 'boom')");
    }
  }

  private static final byte[] WORD = {'b', 'o', 'o', 'm'};
  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  /** The current line cannot be {@code boom} any more: skip to the next newline. */
  private static final int SKIP = -1;

  /** How many bytes of {@code boom\r} the current line matches so far, or {@link #SKIP}. A stream starts on a line. */
  private int matched;

  /**
   * Reads {@code bytes} from its position to its limit (neither is changed).
   *
   * @throws Boom when a line {@code boom} ends within them
   */
  public void scan(ByteBuffer bytes) {
    int i = bytes.position();
    int end = bytes.limit();
    while (i < end) {
      if (matched == SKIP) {
        i = nextLineStart(bytes, i, end);
        if (i < 0) {
          return;
        }
        matched = 0;
      } else {
        step(bytes.get(i++));
      }
    }
  }

  private void step(byte b) {
    if (matched < WORD.length) {
      matched = b == WORD[matched] ? matched + 1 : b == '\n' ? 0 : SKIP;
    } else if (b == '\n') {
      throw new Boom(); // "boom\n" or "boom\r\n"
    } else if (b == '\r' && matched == WORD.length) {
      matched++;
    } else {
      matched = SKIP;
    }
  }

  /** The index after the next {@code \n} at or after {@code from}, or -1 when there is none before {@code end}. */
  private static int nextLineStart(ByteBuffer bytes, int from, int end) {
    int i = from;
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      long x = bytes.getLong(i) ^ NEWLINES; // a zero byte where the word holds '\n'
      if (((x - ONES) & ~x & HIGHS) != 0) {
        break;
      }
    }
    for (; i < end; i++) {
      if (bytes.get(i) == '\n') {
        return i + 1;
      }
    }
    return -1;
  }
}
