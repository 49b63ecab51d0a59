package org.concurrencylab.loop;

import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * The line logger's context variable, the book's {@code ContextVar('user_address')}: a Vert.x context local
 * (registered, like every context local, before any Vert.x instance is built: this provider is named in
 * {@code META-INF/services/io.vertx.core.spi.VertxServiceProvider}).
 */
public final class LoopLocals implements VertxServiceProvider {

  /** The address of the client whose connection the current work serves. */
  static final ContextLocal<String> PEER = ContextLocal.registerLocal(String.class);

  @Override
  public void init(VertxBootstrap builder) {
    // Registering the local, above, is all this provider does.
  }
}
