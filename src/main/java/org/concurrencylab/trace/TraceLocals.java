package org.concurrencylab.trace;

import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * Registers the request id as a Vert.x context local. Vert.x sizes every context's local storage when an
 * instance is built, so a local must be registered before that: Vert.x loads its service providers (this
 * class, named in {@code META-INF/services/io.vertx.core.spi.VertxServiceProvider}) first, which registers it
 * in time for every instance, in the lab and in tests alike.
 */
public final class TraceLocals implements VertxServiceProvider {

  /** The request id of the work running on a context (a duplicated context: one per request). */
  static final ContextLocal<String> REQUEST_ID = ContextLocal.registerLocal(String.class);

  @Override
  public void init(VertxBootstrap builder) {
    // Nothing to set up: registering the local, above, is the point.
  }
}
