package org.concurrencylab.blocking;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * scrypt (RFC 7914) as the book's 7.16 uses it ({@code hashlib.scrypt(n=2048, r=8, p=1)}, a 16-byte salt,
 * 64-byte key). CPU-bound and blocking: call it from a worker thread, never from an event loop.
 *
 * <p>Written here rather than taken from BouncyCastle because BlockMix with the Salsa20/8 core kept in local
 * variables is about twice as fast as BouncyCastle's {@code SCrypt} on this JIT (the tests check both give
 * the same keys, and RFC 7914's vectors). PBKDF2-HMAC-SHA256 with one iteration comes from the JDK.
 */
final class Scrypt {

  static final int N = 2048;
  static final int R = 8;
  static final int P = 1;
  static final int SALT_BYTES = 16;
  static final int KEY_BYTES = 64;

  /** A password and its salt, as the book draws them: 10 random lowercase letters and 16 random bytes. */
  record Item(byte[] password, byte[] salt) {
  }

  private Scrypt() {
  }

  static byte[] hash(byte[] password, byte[] salt) {
    return hash(password, salt, N, R, P, KEY_BYTES);
  }

  /** scrypt with any parameters ({@code n} a power of two): also for checking against published vectors. */
  static byte[] hash(byte[] password, byte[] salt, int n, int r, int p, int keyBytes) {
    if (n < 2 || Integer.bitCount(n) != 1 || r < 1 || p < 1 || keyBytes < 1) {
      throw new IllegalArgumentException("scrypt needs n a power of two >= 2, r >= 1, p >= 1, a key of >= 1 byte");
    }
    Mac mac;
    try {
      mac = Mac.getInstance("HmacSHA256");
      // HMAC pads a short key with zero bytes, so an empty password is the same key as one zero byte
      // (which SecretKeySpec accepts, unlike an empty one).
      mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no HmacSHA256", e);
    }
    int blockBytes = 128 * r;
    byte[] b = pbkdf2(mac, salt, p * blockBytes);
    int words = 32 * r;
    int[] x = new int[words];
    int[] v = new int[n * words];
    int[] y = new int[words];
    for (int i = 0; i < p; i++) {
      int off = i * blockBytes;
      for (int k = 0; k < words; k++) {
        int o = off + 4 * k;
        x[k] = (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
      }
      roMix(x, v, y, n, r);
      for (int k = 0; k < words; k++) {
        int o = off + 4 * k;
        int w = x[k];
        b[o] = (byte) w;
        b[o + 1] = (byte) (w >>> 8);
        b[o + 2] = (byte) (w >>> 16);
        b[o + 3] = (byte) (w >>> 24);
      }
    }
    return pbkdf2(mac, b, keyBytes);
  }

  /** PBKDF2-HMAC-SHA256 with one iteration, as scrypt uses it; {@code mac} is keyed with the password. */
  private static byte[] pbkdf2(Mac mac, byte[] salt, int len) {
    byte[] out = new byte[len];
    byte[] counter = new byte[4];
    for (int i = 1, off = 0; off < len; i++, off += 32) {
      counter[0] = (byte) (i >>> 24); counter[1] = (byte) (i >>> 16); counter[2] = (byte) (i >>> 8); counter[3] = (byte) i;
      mac.update(salt);
      byte[] u = mac.doFinal(counter);
      System.arraycopy(u, 0, out, off, Math.min(32, len - off));
    }
    return out;
  }

  /** ROMix: {@code x} becomes ROMix(x), using {@code v} (n blocks) and {@code y} (scratch). */
  private static void roMix(int[] x, int[] v, int[] y, int n, int r) {
    int words = 32 * r;
    for (int i = 0; i < n; i++) {
      System.arraycopy(x, 0, v, i * words, words);
      blockMix(x, y, r);
    }
    for (int i = 0; i < n; i++) {
      int j = x[(2 * r - 1) * 16] & (n - 1);
      int base = j * words;
      for (int k = 0; k < words; k++) {
        x[k] ^= v[base + k];
      }
      blockMix(x, y, r);
    }
  }

  /** BlockMix with Salsa20/8: {@code b} becomes BlockMix(b); {@code y} is scratch of the same size. */
  private static void blockMix(int[] b, int[] y, int r) {
    int last = (2 * r - 1) * 16;
    int x0 = b[last], x1 = b[last + 1], x2 = b[last + 2], x3 = b[last + 3], x4 = b[last + 4], x5 = b[last + 5],
      x6 = b[last + 6], x7 = b[last + 7], x8 = b[last + 8], x9 = b[last + 9], x10 = b[last + 10], x11 = b[last + 11],
      x12 = b[last + 12], x13 = b[last + 13], x14 = b[last + 14], x15 = b[last + 15];
    for (int i = 0; i < 2 * r; i++) {
      int o = i * 16;
      x0 ^= b[o]; x1 ^= b[o + 1]; x2 ^= b[o + 2]; x3 ^= b[o + 3]; x4 ^= b[o + 4]; x5 ^= b[o + 5]; x6 ^= b[o + 6];
      x7 ^= b[o + 7]; x8 ^= b[o + 8]; x9 ^= b[o + 9]; x10 ^= b[o + 10]; x11 ^= b[o + 11]; x12 ^= b[o + 12];
      x13 ^= b[o + 13]; x14 ^= b[o + 14]; x15 ^= b[o + 15];
      int j0 = x0, j1 = x1, j2 = x2, j3 = x3, j4 = x4, j5 = x5, j6 = x6, j7 = x7, j8 = x8, j9 = x9, j10 = x10,
        j11 = x11, j12 = x12, j13 = x13, j14 = x14, j15 = x15;
      // Salsa20/8: four double rounds (a column round, then a row round) on the 16 words in locals.
      for (int k = 0; k < 4; k++) {
        j4 ^= Integer.rotateLeft(j0 + j12, 7); j8 ^= Integer.rotateLeft(j4 + j0, 9);
        j12 ^= Integer.rotateLeft(j8 + j4, 13); j0 ^= Integer.rotateLeft(j12 + j8, 18);
        j9 ^= Integer.rotateLeft(j5 + j1, 7); j13 ^= Integer.rotateLeft(j9 + j5, 9);
        j1 ^= Integer.rotateLeft(j13 + j9, 13); j5 ^= Integer.rotateLeft(j1 + j13, 18);
        j14 ^= Integer.rotateLeft(j10 + j6, 7); j2 ^= Integer.rotateLeft(j14 + j10, 9);
        j6 ^= Integer.rotateLeft(j2 + j14, 13); j10 ^= Integer.rotateLeft(j6 + j2, 18);
        j3 ^= Integer.rotateLeft(j15 + j11, 7); j7 ^= Integer.rotateLeft(j3 + j15, 9);
        j11 ^= Integer.rotateLeft(j7 + j3, 13); j15 ^= Integer.rotateLeft(j11 + j7, 18);
        j1 ^= Integer.rotateLeft(j0 + j3, 7); j2 ^= Integer.rotateLeft(j1 + j0, 9);
        j3 ^= Integer.rotateLeft(j2 + j1, 13); j0 ^= Integer.rotateLeft(j3 + j2, 18);
        j6 ^= Integer.rotateLeft(j5 + j4, 7); j7 ^= Integer.rotateLeft(j6 + j5, 9);
        j4 ^= Integer.rotateLeft(j7 + j6, 13); j5 ^= Integer.rotateLeft(j4 + j7, 18);
        j11 ^= Integer.rotateLeft(j10 + j9, 7); j8 ^= Integer.rotateLeft(j11 + j10, 9);
        j9 ^= Integer.rotateLeft(j8 + j11, 13); j10 ^= Integer.rotateLeft(j9 + j8, 18);
        j12 ^= Integer.rotateLeft(j15 + j14, 7); j13 ^= Integer.rotateLeft(j12 + j15, 9);
        j14 ^= Integer.rotateLeft(j13 + j12, 13); j15 ^= Integer.rotateLeft(j14 + j13, 18);
      }
      x0 += j0; x1 += j1; x2 += j2; x3 += j3; x4 += j4; x5 += j5; x6 += j6; x7 += j7; x8 += j8; x9 += j9;
      x10 += j10; x11 += j11; x12 += j12; x13 += j13; x14 += j14; x15 += j15;
      // Y: even blocks to the first half, odd blocks to the second half.
      int out = ((i & 1) == 0 ? (i >> 1) : r + (i >> 1)) * 16;
      y[out] = x0; y[out + 1] = x1; y[out + 2] = x2; y[out + 3] = x3; y[out + 4] = x4; y[out + 5] = x5;
      y[out + 6] = x6; y[out + 7] = x7; y[out + 8] = x8; y[out + 9] = x9; y[out + 10] = x10; y[out + 11] = x11;
      y[out + 12] = x12; y[out + 13] = x13; y[out + 14] = x14; y[out + 15] = x15;
    }
    System.arraycopy(y, 0, b, 0, 32 * r);
  }

  /** {@code count} seeded passwords with salts, the same list for the same seed. */
  static List<Item> items(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Item> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      char[] letters = new char[10];
      for (int j = 0; j < letters.length; j++) {
        letters[j] = (char) ('a' + random.nextInt(26));
      }
      byte[] salt = new byte[SALT_BYTES];
      random.nextBytes(salt);
      items.add(new Item(new String(letters).getBytes(StandardCharsets.US_ASCII), salt));
    }
    return items;
  }

  /**
   * Checks the implementation against RFC 7914's test vector (scrypt of "password" with salt "NaCl",
   * N=1024, r=8, p=16); throws if it does not match, so a broken hash never gets timed.
   */
  static void verify() {
    byte[] key = hash("password".getBytes(StandardCharsets.US_ASCII), "NaCl".getBytes(StandardCharsets.US_ASCII),
      1024, 8, 16, 64);
    String expected = "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
      + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640";
    if (!HexFormat.of().formatHex(key).equals(expected)) {
      throw new IllegalStateException("scrypt does not match RFC 7914's test vector");
    }
  }
}
