package org.concurrencylab.eventloop;

import java.io.IOException;
import java.nio.channels.SelectionKey;

/**
 * What a {@link SelectorLoop} calls for a channel registered with it: the protocol side of the loop. Both
 * methods run on the loop's thread, one call at a time, so a handler needs no locks for its own state.
 */
public interface ChannelHandler {

  /**
   * The channel is ready for some of the operations in its key's interest set ({@code key.readyOps()} says
   * which). The handler does what it can without blocking and adjusts {@code key.interestOps()} for what it
   * waits for next.
   *
   * @throws IOException or any other exception: the loop logs it and closes this channel only
   */
  void ready(SelectionKey key) throws IOException;

  /**
   * The loop closed the channel: the handler asked for it ({@link SelectorLoop#close(SelectionKey)}), its
   * {@link #ready} threw ({@code cause} is the exception), or the loop stopped. Called once per channel.
   *
   * @param cause what failed, or {@code null} for an orderly close
   */
  default void closed(SelectionKey key, Throwable cause) {
  }
}
