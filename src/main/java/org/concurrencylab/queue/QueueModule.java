package org.concurrencylab.queue;

import org.concurrencylab.spi.ServiceModule;

/** The {@code queue} service (chapter 12). */
public final class QueueModule implements ServiceModule {

  @Override
  public String name() {
    return "queue";
  }

  @Override
  public String summary() {
    return "ch12 async queues, the durable order app and the crawler";
  }
}
