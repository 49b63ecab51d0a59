package org.concurrencylab.blocking;

import org.bouncycastle.crypto.generators.SCrypt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * scrypt as the book's 7.16 uses it ({@code hashlib.scrypt(n=2048, r=8, p=1)}, a 16-byte salt, 64-byte key),
 * with BouncyCastle's implementation. CPU-bound and blocking: call it from a worker thread, never from an
 * event loop.
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
    return SCrypt.generate(password, salt, N, R, P, KEY_BYTES);
  }

  /** scrypt with any parameters: for checking the implementation against published test vectors. */
  static byte[] hash(byte[] password, byte[] salt, int n, int r, int p, int keyBytes) {
    return SCrypt.generate(password, salt, n, r, p, keyBytes);
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
