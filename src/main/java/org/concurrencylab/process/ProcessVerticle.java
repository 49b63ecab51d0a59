package org.concurrencylab.process;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.bus.ServiceStatus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process service of a node: answers {@code process.run}, runs at most {@code process_max} children at
 * once (0 = one per core; the rest wait in order, like the book's semaphore in 13.8), and gives each child
 * its own addresses ({@code process.stdin.<id>}, {@code process.kill.<id>}, {@code process.output.<id>}) on
 * this node. The verticle's state lives on its event loop; starting children, reading their pipes and
 * signalling them happen on a pool of I/O threads of its own, never on an event loop and never on Vert.x's
 * worker pool (a pump blocks for as long as its child lives).
 */
public final class ProcessVerticle extends VerticleBase {

  /** Children waiting for a free slot, at most; past it {@code process.run} answers 429. */
  static final int MAX_QUEUED = 1_000;
  /** Exited children whose results and addresses are kept for late readers, at most, and for how long. */
  static final int KEEP_EXITED = 100;
  static final long KEEP_EXITED_MS = 5 * 60_000;
  /** The nice value of the threads that start children, and so of the children ({@code process_nice}). */
  static final int DEFAULT_NICE = 10;

  private final String node;
  private CommandPolicy policy;
  private int maxRunning;
  private ExecutorService io;
  private ExecutorService spawners;
  private final Map<String, ChildProcess> children = new HashMap<>();
  private final Deque<ChildProcess> queue = new ArrayDeque<>();
  private final Deque<Exited> exited = new ArrayDeque<>();
  private int running;
  private long started;
  private long refused;
  private long timedOut;
  private boolean stopping;

  private record Exited(ChildProcess child, long atMillis) {
  }

  public ProcessVerticle(String node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    policy = CommandPolicy.fromConfig(config());
    int configured = config().getInteger("process_max", 0);
    maxRunning = configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    io = Executors.newCachedThreadPool(daemonThreads("process-io-"));
    spawners = Executors.newCachedThreadPool(new SpawnerThreads("process-spawn-", config().getInteger("process_nice", DEFAULT_NICE)));
    vertx.setPeriodic(30_000, t -> forgetOldExited());
    return Future.join(
        Bus.<Object>serve(vertx, ProcessAddresses.RUN, this::run),
        ServiceStatus.serve(vertx, "process", node, new JsonArray()
          .add(ServiceStatus.endpoint("bus", ProcessAddresses.RUN)), this::stats))
      .mapEmpty();
  }

  private JsonObject stats() {
    return new JsonObject()
      .put("running", running)
      .put("queued", queue.size())
      .put("max", maxRunning)
      .put("started", started)
      .put("refused", refused)
      .put("timedOut", timedOut)
      .put("allowed", new JsonArray(policy.allowedCommands()));
  }

  private Future<JsonObject> run(Message<Object> message) {
    RunRequest request;
    try {
      request = RunRequest.parse(Bus.jsonBody(message), policy);
    } catch (RuntimeException e) {
      refused++;
      throw e;
    }
    if (queue.size() >= MAX_QUEUED) {
      refused++;
      return Future.failedFuture(Failure.TOO_MANY.exception(queue.size() + " processes already wait for one of "
        + maxRunning + " slots (process_max); try again later"));
    }
    String id = UUID.randomUUID().toString();
    ChildProcess child = new ChildProcess(id, request, vertx, context, spawners, io, policy, () -> exited(id));
    children.put(id, child);
    child.addConsumer(Bus.<Object>register(vertx, ProcessAddresses.stdin(id), m -> stdin(child, m)));
    child.addConsumer(Bus.<Object>register(vertx, ProcessAddresses.kill(id), m -> kill(child, m)));
    child.addConsumer(Bus.<Object>register(vertx, ProcessAddresses.output(id), m -> Future.succeededFuture(child.snapshot())));
    // The addresses must reach this node before the caller hears the id (cluster-wide registration).
    return child.registered().compose(v -> {
      Future<Void> startedOrQueued;
      if (running < maxRunning) {
        running++;
        startedOrQueued = launch(child);
      } else {
        queue.add(child);
        startedOrQueued = Future.succeededFuture();
      }
      if (request.waitForExit()) {
        return startedOrQueued.compose(s -> child.result());
      }
      return startedOrQueued.map(s -> new JsonObject()
        .put("id", id)
        .put("node", node)
        .put("state", child.state().name().toLowerCase(java.util.Locale.ROOT))
        .put("pid", child.pid()));
    });
  }

  private Future<Void> launch(ChildProcess child) {
    started++;
    return child.start();
  }

  /** A child ended: free its slot for the next in line, and keep its result for a while. */
  private void exited(String id) {
    ChildProcess child = children.get(id);
    if (child == null) {
      return;
    }
    if (queue.remove(child)) {
      // cancelled while it waited: it never held a slot
    } else {
      running--;
    }
    if (child.timedOut()) {
      timedOut++;
    }
    exited.add(new Exited(child, System.currentTimeMillis()));
    while (exited.size() > KEEP_EXITED) {
      forget(exited.poll().child());
    }
    while (!stopping && running < maxRunning && !queue.isEmpty()) {
      running++;
      launch(queue.poll());
    }
  }

  private void forgetOldExited() {
    long now = System.currentTimeMillis();
    while (!exited.isEmpty() && now - exited.peek().atMillis() > KEEP_EXITED_MS) {
      forget(exited.poll().child());
    }
  }

  private void forget(ChildProcess child) {
    children.remove(child.id);
    child.unregister();
  }

  private Future<JsonObject> stdin(ChildProcess child, Message<Object> message) {
    JsonObject body = Bus.jsonBody(message);
    Object data = body.containsKey("data") ? body.getValue("data") : "";
    Object eof = body.containsKey("eof") ? body.getValue("eof") : Boolean.FALSE;
    if (!(data instanceof String text) || !(eof instanceof Boolean close)) {
      return Future.failedFuture(Failure.BAD_REQUEST.exception("stdin takes {data: string, eof: boolean}"));
    }
    return child.write(text, close).map(n -> new JsonObject().put("id", child.id).put("written", n));
  }

  private Future<JsonObject> kill(ChildProcess child, Message<Object> message) {
    JsonObject body = Bus.jsonBody(message);
    String signal = body.getString("signal", "TERM");
    if (!signal.equals("TERM") && !signal.equals("KILL")) {
      return Future.failedFuture(Failure.BAD_REQUEST.exception("signal must be TERM or KILL, not " + signal));
    }
    if (signal.equals("KILL")) {
      child.killNow("kill request");
    } else {
      child.terminate("kill request");
    }
    return child.result();
  }

  /**
   * Children do not outlive the service: drop what waits, SIGKILL what runs, and wait (a bounded while) until
   * they have exited, so that a node that stops, even the JVM itself, leaves none of them behind.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    List<Future<JsonObject>> ending = new ArrayList<>();
    for (ChildProcess child : List.copyOf(children.values())) {
      if (child.state() != ChildProcess.State.EXITED) {
        child.killNow("service stopping");
        ending.add(child.result());
      }
    }
    return Future.join(ending)
      .timeout(ChildProcess.KILL_GRACE_MS, TimeUnit.MILLISECONDS)
      .otherwiseEmpty()
      .onComplete(v -> {
        spawners.shutdown();
        io.shutdown();
      });
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
