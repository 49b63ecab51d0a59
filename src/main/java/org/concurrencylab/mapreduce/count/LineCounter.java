package org.concurrencylab.mapreduce.count;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Sums {@code match_count} per ngram over the lines of a byte range of a 1-gram file
 * ({@code ngram TAB year TAB match_count TAB volume_count}), straight from the bytes: no String per line,
 * no split, no boxed number. Lines that do not have four fields or whose count is not a whole number are
 * skipped and reported, never counted and never fatal.
 *
 * <p>Two things make it fast. Delimiters are found eight bytes at a time (a SWAR test over a {@code long}
 * finds the first TAB or newline of a word without looking at each byte). And the real file (like the
 * generated one) lists each ngram's years on consecutive lines, so a line's ngram is first compared with the
 * previous line's and reuses its table entry when they match: on the book's file 13 of 14 lines skip the
 * hash lookup. Unsorted input is counted just as exactly, only slower.
 */
public final class LineCounter {

  /** Bytes a caller must leave free after the range: the sentinel newline and one 8-byte word past it. */
  public static final int PADDING = 1 + Long.BYTES;

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final byte TAB = '\t';
  private static final byte NL = '\n';
  private static final long TABS = 0x0909090909090909L;
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long ZEROS = 0x3030303030303030L;
  /** Added to a byte of 0-255 it sets the high bit from 10 up: the bytes that are not digits. */
  private static final long DIGIT_LIMIT = 0x7676767676767676L;
  /** 18 digits always fit in a long; a longer count is refused rather than overflowed. */
  private static final int MAX_DIGITS = 18;

  private LineCounter() {
  }

  /**
   * Counts the lines of {@code bytes[0, length)} into {@code table}.
   *
   * @param bytes   the range's bytes followed by {@link #PADDING} free bytes: {@code bytes[length]} becomes a
   *                newline that ends the last line and stops every scan, so the loops test no bounds
   * @param skipped receives the skipped lines, numbered from 1 within the range
   * @return the number of lines (counted and skipped)
   */
  public static long count(byte[] bytes, int length, NgramTable table, SkippedLines skipped) {
    if (bytes.length < length + PADDING) {
      throw new IllegalArgumentException("the buffer needs " + PADDING + " free bytes after the range");
    }
    bytes[length] = NL;
    long lineNumber = 0;
    int previousStart = -1;
    int previousLength = -1;
    int previousEntry = -1;
    int p = 0;
    while (p < length) {
      lineNumber++;
      int start = p;
      boolean same;
      if (previousLength >= 0 && start + previousLength < length
        && sameKeyAndTab(bytes, start, previousStart, previousLength + 1)) {
        // The previous line's ngram and its TAB: no need to look for the delimiter.
        p = start + previousLength;
        same = true;
      } else {
        p = delimiter(bytes, p);
        if (bytes[p] == NL) { // one field, or an empty line
          skipped.add(lineNumber, LineProblem.TOO_FEW_FIELDS);
          p++;
          continue;
        }
        same = false;
      }
      int keyLength = p - start;
      p = delimiter(bytes, p + 1); // the year: not needed for the count
      if (bytes[p] == NL) {
        skipped.add(lineNumber, LineProblem.TOO_FEW_FIELDS);
        p++;
        continue;
      }
      p++;
      long word = (long) LONGS.get(bytes, p);
      long values = word ^ ZEROS; // a digit byte becomes 0-9
      // The first byte that is not a digit sets its high bit (carries only spoil the bytes after it).
      long notDigits = ((values + DIGIT_LIMIT) | values) & HIGHS;
      long count;
      if (notDigits != 0) {
        int digits = Long.numberOfTrailingZeros(notDigits) >>> 3;
        if (digits == 0) {
          skipped.add(lineNumber, bytes[p] == NL ? LineProblem.TOO_FEW_FIELDS : LineProblem.BAD_COUNT);
          p = nextLine(bytes, p);
          continue;
        }
        count = eightDigits(values << (8 * (Long.BYTES - digits)));
        p += digits;
      } else { // eight digits or more: rare, byte by byte
        count = 0;
        int digitsStart = p;
        byte c;
        while ((c = bytes[p]) >= '0' && c <= '9') {
          count = count * 10 + (c - '0');
          p++;
        }
        if (p - digitsStart > MAX_DIGITS) {
          skipped.add(lineNumber, LineProblem.BAD_COUNT);
          p = nextLine(bytes, p);
          continue;
        }
      }
      byte after = bytes[p];
      if (after != TAB) {
        skipped.add(lineNumber, after == NL ? LineProblem.TOO_FEW_FIELDS : LineProblem.BAD_COUNT);
        p = after == NL ? p + 1 : nextLine(bytes, p);
        continue;
      }
      p = delimiter(bytes, p + 1); // volume_count: not needed either
      if (bytes[p] == TAB) {
        skipped.add(lineNumber, LineProblem.TOO_MANY_FIELDS);
        p = nextLine(bytes, p);
        continue;
      }
      p++;
      if (!same) {
        if (keyLength == 0) {
          skipped.add(lineNumber, LineProblem.EMPTY_NGRAM);
          continue;
        }
        previousEntry = table.entry(bytes, start, keyLength, NgramTable.hash(bytes, start, keyLength));
        previousStart = start;
        previousLength = keyLength;
      }
      table.addTo(previousEntry, count);
    }
    return lineNumber;
  }

  /**
   * The number whose decimal digits (values 0-9, most significant first) fill the bytes of {@code digits}
   * from the lowest, with zero bytes in front: three multiply-and-add steps, no loop, no branch.
   */
  private static long eightDigits(long digits) {
    digits = (digits * 10 + (digits >>> 8)) & 0x00FF00FF00FF00FFL;
    digits = (digits * 100 + (digits >>> 16)) & 0x0000FFFF0000FFFFL;
    return (digits * 10_000 + (digits >>> 32)) & 0xFFFFFFFFL;
  }

  /** The position of the first TAB or newline at or after {@code p}, eight bytes at a time. */
  private static int delimiter(byte[] bytes, int p) {
    while (true) {
      long word = (long) LONGS.get(bytes, p);
      long tabs = word ^ TABS;
      long newlines = word ^ NEWLINES;
      // A byte that was 0 after the XOR sets its high bit here; the lowest such bit is always exact.
      long found = ((tabs - ONES) & ~tabs | (newlines - ONES) & ~newlines) & HIGHS;
      if (found != 0) {
        return p + (Long.numberOfTrailingZeros(found) >>> 3);
      }
      p += Long.BYTES;
    }
  }

  /** The position after the newline at or after {@code p}. */
  private static int nextLine(byte[] bytes, int p) {
    while (bytes[p] != NL) {
      p++;
    }
    return p + 1;
  }

  /**
   * True when the {@code length} bytes at {@code a} equal those at {@code b}, eight at a time. Called with
   * the previous ngram and its TAB, so a match means the same ngram and the end of the field.
   */
  private static boolean sameKeyAndTab(byte[] bytes, int a, int b, int length) {
    int i = 0;
    for (; i + Long.BYTES <= length; i += Long.BYTES) {
      if ((long) LONGS.get(bytes, a + i) != (long) LONGS.get(bytes, b + i)) {
        return false;
      }
    }
    int rest = length - i;
    if (rest == 0) {
      return true;
    }
    // Both reads stay inside the buffer: b's key and TAB end before a, and the caller checked that a + length
    // is within the range, which the sentinel and eight bytes of padding follow.
    long difference = (long) LONGS.get(bytes, a + i) ^ (long) LONGS.get(bytes, b + i);
    return (difference & (-1L >>> (64 - rest * 8))) == 0;
  }
}
