package org.concurrencylab.fetch.stub;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/** The stub's page: a small fixed HTML document like example.com's, or one padded to a requested size. */
final class StubPages {

  /** The default page; the same size as the Python peer's stub page, so both targets send alike. */
  static final Buffer DEFAULT = Buffer.buffer("""
    <!doctype html>
    <html>
    <head><title>Stub Domain</title></head>
    <body>
    <h1>Stub Domain</h1>
    <p>A fixed page served locally in place of example.com for benchmarks.</p>
    </body>
    </html>
    """.getBytes(StandardCharsets.UTF_8));

  private static final String HEAD = "<!doctype html>\n<html>\n<head><title>Stub Domain</title></head>\n<body>\n<p>";
  private static final String TAIL = "</p>\n</body>\n</html>\n";

  private static volatile Buffer lastSized = Buffer.buffer();

  private StubPages() {
  }

  /** A page of exactly {@code size} bytes (the last one asked for is kept, as benchmarks repeat sizes). */
  static Buffer ofSize(int size) {
    Buffer cached = lastSized;
    if (cached.length() == size) {
      return cached;
    }
    byte[] bytes = new byte[size];
    byte[] head = HEAD.getBytes(StandardCharsets.US_ASCII);
    byte[] tail = TAIL.getBytes(StandardCharsets.US_ASCII);
    java.util.Arrays.fill(bytes, (byte) 'x');
    if (size >= head.length + tail.length) {
      System.arraycopy(head, 0, bytes, 0, head.length);
      System.arraycopy(tail, 0, bytes, size - tail.length, tail.length);
    }
    Buffer page = Buffer.buffer(bytes);
    lastSized = page;
    return page;
  }
}
