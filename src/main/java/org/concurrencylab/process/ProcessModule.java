package org.concurrencylab.process;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import org.concurrencylab.process.demo.EncryptDemo;
import org.concurrencylab.process.demo.InteractiveDemo;
import org.concurrencylab.process.demo.ListFilesDemo;
import org.concurrencylab.process.demo.PipeDemo;
import org.concurrencylab.process.demo.TimeoutDemo;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

import java.util.List;

/** The {@code process} service (chapter 13): subprocesses over the bus and HTTP. */
public final class ProcessModule implements ServiceModule {

  static {
    SpawnMechanism.preferVfork();
  }

  @Override
  public String name() {
    return "process";
  }

  @Override
  public String summary() {
    return "ch13 subprocesses: allow-listed commands without a shell, output streamed line by line, stdin, timeouts";
  }

  @Override
  public Future<?> deploy(ModuleContext context) {
    return context.deploy(() -> new ProcessVerticle(context.node()));
  }

  @Override
  public void routes(Router router, ModuleContext context) {
    ProcessRoutes.mount(router, context.vertx());
  }

  @Override
  public List<Object> benchCommands() {
    return List.of(new ProcessBench());
  }

  @Override
  public List<Demo> demos() {
    return List.of(new ListFilesDemo(), new TimeoutDemo(), new PipeDemo(), new EncryptDemo(), new InteractiveDemo());
  }
}
