package org.concurrencylab.bridge;

import io.vertx.core.Future;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

/** The {@code bridge} service: the TCP event-bus bridge on {@code bridge_port}, for clients in any language. */
public final class BridgeModule implements ServiceModule {

  @Override
  public String name() {
    return "bridge";
  }

  @Override
  public String summary() {
    return "the event bus over TCP (4-byte length + JSON) for other languages: clients/python/labbus.py";
  }

  @Override
  public Future<?> deploy(ModuleContext context) {
    return context.deploy(() -> new TcpBridgeVerticle(context.node()));
  }
}
