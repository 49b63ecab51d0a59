package org.concurrencylab.mapreduce.count;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable byte array that lines and encoded results are written into without a String in sight. Used by
 * the file generator (rows) and the map workers (partial counts).
 */
public final class ByteSink {

  private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] bytes;
  private int size;

  public ByteSink(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  public int size() {
    return size;
  }

  public byte[] array() {
    return bytes;
  }

  public void append(byte b) {
    ensure(1);
    bytes[size++] = b;
  }

  public void append(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, bytes, size, b.length);
    size += b.length;
  }

  /** Appends a non-negative number in decimal. */
  public void appendDecimal(long value) {
    ensure(20);
    int digits = 1;
    for (long v = value; v >= 10; v /= 10) {
      digits++;
    }
    int end = size + digits;
    for (int i = end - 1; i >= size; i--) {
      bytes[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    size = end;
  }

  /** Appends a copy of {@code length} bytes already in the sink at {@code from} (a line's repeated ngram). */
  public void appendOwn(int from, int length) {
    ensure(length);
    System.arraycopy(bytes, from, bytes, size, length);
    size += length;
  }

  /** Appends an unsigned LEB128 varint: 1 byte below 128, 2 below 16384... */
  public void appendVarint(long value) {
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    bytes[size++] = (byte) value;
  }

  /** Appends four bytes, little endian. */
  public void appendInt(int value) {
    ensure(Integer.BYTES);
    INTS.set(bytes, size, value);
    size += Integer.BYTES;
  }

  /** Appends {@code length} bytes of {@code b} from {@code from}. */
  public void append(byte[] b, int from, int length) {
    ensure(length);
    System.arraycopy(b, from, bytes, size, length);
    size += length;
  }

  /** True when the bytes from {@code start} to the end equal {@code other}. */
  public boolean equalsTail(int start, byte[] other) {
    return size - start == other.length && Arrays.equals(bytes, start, size, other, 0, other.length);
  }

  /** Forgets the content, keeping the array. */
  public void clear() {
    size = 0;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
    }
  }
}
