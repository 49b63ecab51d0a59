package org.concurrencylab.basics;

import io.vertx.core.Future;
import org.concurrencylab.basics.demo.AsyncAwaitDemo;
import org.concurrencylab.basics.demo.BlockedLoopDemo;
import org.concurrencylab.basics.demo.CancelDemo;
import org.concurrencylab.basics.demo.CpuVsIoDemo;
import org.concurrencylab.basics.demo.ShieldDemo;
import org.concurrencylab.basics.demo.TasksDemo;
import org.concurrencylab.basics.demo.WaitForDemo;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

import java.util.List;

/**
 * The {@code basics} service (chapters 1-2): the book's workloads on the bus, and the chapters' demos.
 * Deploys a worker verticle per core (two at least) for {@code basics.fib}, then the event-loop verticle that serves
 * {@code basics.count}, {@code basics.delay} and {@code basics.status}.
 */
public final class BasicsModule implements ServiceModule {

  public static final String NAME = "basics";
  /** {@code {n}} (1..45) to {@code {n, fib, ms, thread}}: the book's naive fib on a worker thread. */
  public static final String FIB = "basics.fib";
  /** {@code {n, timeout_ms?}} to {@code {n, counted, ms}}: the book's counting loop, stopped at its deadline. */
  public static final String COUNT = "basics.count";
  /** {@code {ms}} to {@code {ms, slept_ms}}: the book's {@code delay}, a timer. */
  public static final String DELAY = "basics.delay";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "ch1-2: CPU- vs I/O-bound work, tasks, timeouts, cancellation, a blocked event loop (bus basics.*)";
  }

  @Override
  public Future<?> deploy(ModuleContext context) {
    BasicsStats stats = new BasicsStats();
    // One worker instance per core, and at least two: the book's point is two fibs at once.
    int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
    return context.deploy(() -> new FibWorkerVerticle(stats), FibWorkerVerticle.options(workers))
      .compose(deployed -> context.deploy(() -> new BasicsVerticle(stats)));
  }

  @Override
  public List<Demo> demos() {
    return List.of(new CpuVsIoDemo(), new TasksDemo(), new CancelDemo(), new WaitForDemo(), new ShieldDemo(),
      new BlockedLoopDemo(), new AsyncAwaitDemo());
  }
}
