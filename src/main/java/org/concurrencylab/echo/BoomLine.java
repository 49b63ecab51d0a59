package org.concurrencylab.echo;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;

import java.nio.ByteBuffer;

/**
 * Watches one connection's byte stream for the line {@code boom} (ended by {@code \n} or {@code \r\n}), the
 * fault the book's listing 3.10 injects: {@code if data == b'boom\r\n': raise Exception("Unexpected network
 * error")}. Unlike the book, it finds the line wherever TCP splits or merges it.
 *
 * <p>The echo's hot path runs every byte through here, so it skips from line end to line end 64 bytes at a
 * time in direct memory, 32 in other buffers (word-wide tests for {@code \n}) and looks closely only at the
 * first bytes of each line. It is the one cost per byte the echo adds to the kernel's (the Python peers do not
 * look for the line at all). In direct memory (every read buffer of both echoes) plain text is skipped with one
 * subtraction a word (about 5 µs per 100 KiB message on this machine, against 9 µs with the exact four-operation
 * test, which binary data falls back to), read with plain memory loads as Netty's own {@code ByteBuf.indexOf}
 * does: a {@code ByteBuffer.getLong} costs a bounds check and a byte swap per word, 13 µs per 100 KiB.
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
  /** One more than {@code \n} in every byte: {@link #controls}. */
  private static final long BELOW_NEWLINE = 0x0b0b0b0b0b0b0b0bL;
  /** The current line cannot be {@code boom} any more: skip to the next newline. */
  private static final int SKIP = -1;
  /** Whether a direct buffer's memory can be read at its address (Netty's Unsafe access, unaligned loads). */
  private static final boolean RAW_READS = PlatformDependent.hasUnsafe() && PlatformDependent.isUnaligned();

  /** How many bytes of {@code boom\r} the current line matches so far, or {@link #SKIP}. A stream starts on a line. */
  private int matched;

  /**
   * Reads {@code bytes} from its position to its limit (neither is changed).
   *
   * @throws Boom when a line {@code boom} ends within them
   */
  public void scan(ByteBuffer bytes) {
    if (RAW_READS && bytes.isDirect()) {
      scan(PlatformDependent.directBufferAddress(bytes), bytes.position(), bytes.limit());
      return;
    }
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

  /**
   * Reads {@code bytes} from its reader index to its writer index (neither is changed).
   *
   * @throws Boom when a line {@code boom} ends within them
   */
  public void scan(ByteBuf bytes) {
    if (RAW_READS && bytes.hasMemoryAddress()) {
      scan(bytes.memoryAddress(), bytes.readerIndex(), bytes.writerIndex());
    } else {
      scan(bytes.nioBuffer());
    }
  }

  /** {@link #scan(ByteBuffer)} of the memory at {@code address}, from index {@code i} to {@code end}. */
  private void scan(long address, int i, int end) {
    while (i < end) {
      if (matched == SKIP) {
        i = nextLineStart(address, i, end);
        if (i < 0) {
          return;
        }
        matched = 0;
      } else {
        step(PlatformDependent.getByte(address + i++));
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
    for (; i + 4 * Long.BYTES <= end; i += 4 * Long.BYTES) {
      if (((newlines(bytes.getLong(i)) | newlines(bytes.getLong(i + 8)) | newlines(bytes.getLong(i + 16))
        | newlines(bytes.getLong(i + 24))) & HIGHS) != 0) {
        break;
      }
    }
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      if ((newlines(bytes.getLong(i)) & HIGHS) != 0) {
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

  /**
   * {@link #nextLineStart(ByteBuffer, int, int)} in the memory at {@code address}, 64 bytes a step with the
   * cheapest test that never misses a newline: {@link #controls} (one subtraction a word, folded into one branch
   * per block). It also stops at tabs, other control bytes and some bytes above 0x8a; such a block is searched
   * exactly, and if it held no newline the data is not plain text, so the rest of this chunk is skipped with
   * the exact test ({@link #nextLineStartExact}) instead of stopping at every block.
   */
  private static int nextLineStart(long address, int from, int end) {
    int i = from;
    for (; i + 8 * Long.BYTES <= end; i += 8 * Long.BYTES) {
      long word = address + i;
      long stops = controls(PlatformDependent.getLong(word)) | controls(PlatformDependent.getLong(word + 8))
        | controls(PlatformDependent.getLong(word + 16)) | controls(PlatformDependent.getLong(word + 24))
        | controls(PlatformDependent.getLong(word + 32)) | controls(PlatformDependent.getLong(word + 40))
        | controls(PlatformDependent.getLong(word + 48)) | controls(PlatformDependent.getLong(word + 56));
      if ((stops & HIGHS) != 0) {
        int found = nextLineStartExact(address, i, i + 8 * Long.BYTES);
        return found >= 0 ? found : nextLineStartExact(address, i + 8 * Long.BYTES, end);
      }
    }
    return nextLineStartExact(address, i, end);
  }

  /** {@link #nextLineStart(long, int, int)} with the exact word test: 64 bytes a step, eight tests, one branch. */
  private static int nextLineStartExact(long address, int from, int end) {
    int i = from;
    for (; i + 8 * Long.BYTES <= end; i += 8 * Long.BYTES) {
      long word = address + i;
      long found = newlines(PlatformDependent.getLong(word)) | newlines(PlatformDependent.getLong(word + 8))
        | newlines(PlatformDependent.getLong(word + 16)) | newlines(PlatformDependent.getLong(word + 24))
        | newlines(PlatformDependent.getLong(word + 32)) | newlines(PlatformDependent.getLong(word + 40))
        | newlines(PlatformDependent.getLong(word + 48)) | newlines(PlatformDependent.getLong(word + 56));
      if ((found & HIGHS) != 0) {
        break;
      }
    }
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      if ((newlines(PlatformDependent.getLong(address + i)) & HIGHS) != 0) {
        break;
      }
    }
    for (; i < end; i++) {
      if (PlatformDependent.getByte(address + i) == '\n') {
        return i + 1;
      }
    }
    return -1;
  }

  /**
   * A word whose high bit is set in the lowest byte below {@code 0x0b} ({@code \n} is 0x0a) and perhaps in
   * others (bytes above 0x8a, bytes after a borrow): never clear when {@code word} holds a newline, as no
   * borrow reaches the lowest such byte (every byte below it is 0x0b or more). One subtraction where
   * {@link #newlines} takes four operations; masked with {@link #HIGHS} by the caller.
   */
  private static long controls(long word) {
    return word - BELOW_NEWLINE;
  }

  /**
   * A word whose high bit is set in each byte that held {@code \n} in {@code word} (the classic "has a zero byte"
   * test on {@code word ^ 0x0a0a...}); bytes after the first such one may be marked wrongly, which only sends the
   * caller to its byte-by-byte search of these eight bytes. Masked with {@link #HIGHS} by the caller.
   */
  private static long newlines(long word) {
    long x = word ^ NEWLINES;
    return (x - ONES) & ~x;
  }
}
