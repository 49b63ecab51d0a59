package org.concurrencylab.blocking;

import io.vertx.core.Future;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

import java.util.List;

/**
 * The {@code blocking} service (chapter 7): blocking and CPU-bound work kept off the event loop.
 * {@code blocking.scrypt} hashes on a worker pool; the demos show blocking calls on the loop and on worker
 * threads ({@code threads}), scrypt sequential vs pooled ({@code scrypt}) and locks ({@code locks}).
 */
public final class BlockingModule implements ServiceModule {

  @Override
  public String name() {
    return ScryptVerticle.SERVICE;
  }

  @Override
  public String summary() {
    return "ch7 blocking work on threads: blocking.scrypt on a worker pool; demos threads, scrypt, locks";
  }

  @Override
  public Future<?> deploy(ModuleContext context) {
    return context.deploy(() -> new ScryptVerticle(context.node(), Runtime.getRuntime().availableProcessors()));
  }

  @Override
  public List<Demo> demos() {
    return List.of(new ThreadsDemo(), new ScryptDemo(), new LocksDemo());
  }

  @Override
  public List<Object> benchCommands() {
    return List.of(new ScryptBenchCommand());
  }
}
