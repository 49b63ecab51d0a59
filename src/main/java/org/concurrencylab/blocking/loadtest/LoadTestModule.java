package org.concurrencylab.blocking.loadtest;

import io.vertx.core.Future;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

import java.util.List;

/**
 * The {@code loadtest} service (the book's 7.12-7.15 load tester, made real): {@code loadtest.start} on the
 * bus with progress on {@code loadtest.progress.<id>}, the web page {@code /loadtest.html}, and the
 * {@code loadtest} command.
 */
public final class LoadTestModule implements ServiceModule {

  @Override
  public String name() {
    return LoadTestVerticle.SERVICE;
  }

  @Override
  public String summary() {
    return "ch7 7.12-7.15 load tester: loadtest.start + loadtest.progress.<id>, /loadtest.html, the loadtest command";
  }

  @Override
  public Future<?> deploy(ModuleContext context) {
    return context.deploy(() -> new LoadTestVerticle(context.node()));
  }

  @Override
  public List<Object> commands() {
    return List.of(new LoadTestCommand());
  }
}
