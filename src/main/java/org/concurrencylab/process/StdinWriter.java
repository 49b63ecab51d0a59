package org.concurrencylab.process;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;

/**
 * Writes to a child's stdin on a thread of its own, in order: a child that does not read would otherwise
 * block the writer once the pipe's buffer is full, and that writer must never be an event loop.
 */
final class StdinWriter implements Runnable {

  /** Bytes to write, then whether to close stdin; {@code done} is told the bytes written or the error. */
  record Chunk(byte[] data, boolean eof, BiConsumer<Integer, IOException> done) {
  }

  private static final Chunk STOP = new Chunk(new byte[0], true, (n, e) -> { });

  private final OutputStream out;
  private final BlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();

  StdinWriter(OutputStream out) {
    this.out = out;
  }

  void write(Chunk chunk) {
    chunks.add(chunk);
  }

  /** Closes stdin once what is queued has been written. */
  void stop() {
    chunks.add(STOP);
  }

  @Override
  public void run() {
    IOException broken = null;
    try {
      while (true) {
        Chunk chunk = chunks.take();
        if (broken != null) {
          chunk.done().accept(0, broken);
        } else {
          try {
            out.write(chunk.data());
            out.flush();
            if (chunk.eof()) {
              out.close();
            }
            chunk.done().accept(chunk.data().length, null);
          } catch (IOException e) {
            broken = e; // the child closed its end (exited, or closed stdin): every later write fails too
            chunk.done().accept(0, e);
          }
        }
        if (chunk.eof()) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        out.close();
      } catch (IOException ignored) {
        // the child is gone
      }
      Chunk left;
      while ((left = chunks.poll()) != null) {
        left.done().accept(0, new IOException("stdin is closed"));
      }
    }
  }
}
