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
      p = delimiter(bytes, p);
      int keyLength = p - start;
      if (bytes[p] == NL) { // one field, or an empty line
        skipped.add(lineNumber, LineProblem.TOO_FEW_FIELDS);
        p++;
        continue;
      }
      p = delimiter(bytes, p + 1); // the year: not needed for the count
      if (bytes[p] == NL) {
        skipped.add(lineNumber, LineProblem.TOO_FEW_FIELDS);
        p++;
        continue;
      }
      p++;
      long count = 0;
      int digitsStart = p;
      byte c;
      while ((c = bytes[p]) >= '0' && c <= '9') {
        count = count * 10 + (c - '0');
        p++;
      }
      int digits = p - digitsStart;
      if (c == NL) { // three fields
        skipped.add(lineNumber, LineProblem.TOO_FEW_FIELDS);
        p++;
        continue;
      }
      if (c != TAB || digits == 0 || digits > MAX_DIGITS) {
        skipped.add(lineNumber, LineProblem.BAD_COUNT);
        p = nextLine(bytes, p);
        continue;
      }
      p = delimiter(bytes, p + 1); // volume_count: not needed either
      if (bytes[p] == TAB) {
        skipped.add(lineNumber, LineProblem.TOO_MANY_FIELDS);
        p = nextLine(bytes, p);
        continue;
      }
      p++;
      if (keyLength == 0) {
        skipped.add(lineNumber, LineProblem.EMPTY_NGRAM);
        continue;
      }
      if (keyLength != previousLength || !sameBytes(bytes, start, previousStart, keyLength)) {
        previousEntry = table.entry(bytes, start, keyLength, NgramTable.hash(bytes, start, keyLength));
        previousStart = start;
        previousLength = keyLength;
      }
      table.addTo(previousEntry, count);
    }
    return lineNumber;
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

  /** True when the {@code length} bytes at {@code a} and {@code b} are equal, compared eight at a time. */
  private static boolean sameBytes(byte[] bytes, int a, int b, int length) {
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
    // Both reads stay inside the buffer: the previous key ends before this line, and this key before its TAB.
    long difference = (long) LONGS.get(bytes, a + i) ^ (long) LONGS.get(bytes, b + i);
    return (difference & (-1L >>> (64 - rest * 8))) == 0;
  }
}
