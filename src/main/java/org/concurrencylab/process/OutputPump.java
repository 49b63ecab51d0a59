package org.concurrencylab.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.List;

/**
 * Drains one of a child's output pipes on a thread of its own until end of file, cutting what it reads into
 * lines. This is what keeps a child from ever blocking on a full pipe (the book's 13.4-13.6 deadlock): the
 * pipe is read as fast as the child writes, whether anyone waits for the exit or not, and whatever is kept
 * or dropped later.
 *
 * <p>Each read becomes one {@link Batch}: the complete lines it finished and, when the child paused in the
 * middle of a line (a prompt such as {@code "Enter text to echo: "}, or a line longer than the buffer), that
 * fragment as a partial line. So a fast writer costs one hand-over per 64 KiB, and a slow one is seen line by
 * line as it writes. A batch is one string of text and a count of lines: it is cut into one string per line
 * only when someone reads the lines (a watcher's copy of the event), so a child that writes a million lines
 * nobody watches costs a few hundred strings, not a million (the garbage of a million would make the
 * collector pause every thread, the event loops included).
 */
final class OutputPump implements Runnable {

  /** Where batches go; {@link #batch} may block to slow the pump down (back-pressure). */
  interface Sink {
    void batch(Batch batch) throws InterruptedException;

    void closed(String stream, IOException error);
  }

  /**
   * One read's worth of output, {@code text} as the child wrote it: {@code lineCount} lines each ended by a
   * newline, except the last when {@code partial} (the line continues in a later batch). {@code bytes} counts
   * what was read.
   */
  record Batch(String stream, String text, int lineCount, boolean partial, int bytes) {

    /** 0 for stdout, 1 for stderr: the index of the child's per-stream counts and kept text. */
    int streamIndex() {
      return "stdout".equals(stream) ? 0 : 1;
    }

    /** The lines, without their newlines; cut from the text when first read. */
    List<String> lines() {
      return new Lines(text, lineCount);
    }

    /** The whole lines that fit in {@code room} bytes of UTF-8 (each with its newline), from the first on. */
    Batch wholeLinesWithin(long room) {
      List<String> lines = lines();
      int whole = partial ? lineCount - 1 : lineCount;
      int count = 0;
      int chars = 0;
      long size = 0;
      while (count < whole) {
        String line = lines.get(count);
        long lineSize = line.getBytes(StandardCharsets.UTF_8).length + 1L;
        if (size + lineSize > room) {
          break;
        }
        size += lineSize;
        chars += line.length() + 1;
        count++;
      }
      return new Batch(stream, text.substring(0, chars), count, false, (int) size);
    }
  }

  /** A batch's lines, cut from its text on the first read (most batches are never read line by line). */
  private static final class Lines extends AbstractList<String> {
    private final String text;
    private final int count;
    private volatile String[] cut;

    Lines(String text, int count) {
      this.text = text;
      this.count = count;
    }

    @Override
    public String get(int index) {
      String[] lines = cut;
      if (lines == null) {
        lines = new String[count];
        int start = 0;
        for (int i = 0; i < count; i++) {
          int newline = text.indexOf('\n', start);
          int end = newline < 0 ? text.length() : newline;
          lines[i] = text.substring(start, end);
          start = end + 1;
        }
        cut = lines;
      }
      return lines[index];
    }

    @Override
    public int size() {
      return count;
    }
  }

  static final int BUFFER = 64 * 1024;

  private final String stream;
  private final InputStream in;
  private final Sink sink;

  OutputPump(String stream, InputStream in, Sink sink) {
    this.stream = stream;
    this.in = in;
    this.sink = sink;
  }

  @Override
  public void run() {
    byte[] buffer = new byte[BUFFER];
    int kept = 0; // bytes of an unfinished line at the start of the buffer
    IOException error = null;
    try (in) {
      int read;
      while ((read = in.read(buffer, kept, buffer.length - kept)) >= 0) {
        int end = kept + read;
        int lineCount = 0;
        int lineStart = 0; // just past the last newline
        for (int i = kept; i < end; i++) {
          if (buffer[i] == '\n') {
            lineCount++;
            lineStart = i + 1;
          }
        }
        kept = end - lineStart;
        boolean partial = false;
        // A child that stopped mid-line (a prompt) is waiting for us: hand that fragment on now. So is a
        // line longer than the whole buffer. Otherwise keep the fragment: the rest of it is already on its way.
        if (kept > 0 && (kept == buffer.length || in.available() == 0)) {
          int cut = kept == buffer.length ? characterBoundary(buffer, lineStart, end) : end;
          lineCount++;
          partial = true;
          lineStart = cut;
          kept = end - cut;
        }
        if (lineCount > 0) {
          String text = new String(buffer, 0, lineStart, StandardCharsets.UTF_8);
          System.arraycopy(buffer, lineStart, buffer, 0, kept);
          sink.batch(new Batch(stream, text, lineCount, partial, lineStart));
        }
      }
      if (kept > 0) {
        sink.batch(new Batch(stream, new String(buffer, 0, kept, StandardCharsets.UTF_8), 1, true, kept));
      }
    } catch (IOException e) {
      error = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      sink.closed(stream, error);
    }
  }

  /** The last index at or before {@code end} that does not split a UTF-8 character. */
  private static int characterBoundary(byte[] buffer, int start, int end) {
    int i = end;
    while (i > start && (buffer[i - 1] & 0xC0) == 0x80) {
      i--;
    }
    // i - 1 is now a lead byte (or ASCII); cut before it unless the character it starts is complete.
    if (i > start && (buffer[i - 1] & 0x80) != 0) {
      int lead = buffer[i - 1] & 0xFF;
      int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
      if (end - (i - 1) < length) {
        return i - 1 > start ? i - 1 : end;
      }
    }
    return end;
  }
}
