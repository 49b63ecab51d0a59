package org.concurrencylab.process;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One child process and everything the service knows about it. Its state lives on the service's event loop
 * (every method but the pumps' and the writer's callbacks runs there); the blocking parts (starting it,
 * reading its pipes, writing its stdin, signalling it) run on the service's spawner and I/O threads and hand their
 * results back with {@link Context#runOnContext}.
 *
 * <p>Life: queued, starting, running, (terminating,) exited. It has exited when its exit code is known and both its
 * pipes reached end of file, so the result always holds all the output the child wrote (up to the cap).
 */
final class ChildProcess {

  enum State { QUEUED, STARTING, RUNNING, TERMINATING, EXITED }

  /** How long a child has between SIGTERM and SIGKILL. */
  static final long KILL_GRACE_MS = 2_000;
  /** How long to wait for the pipes' end of file after the exit (a grandchild may still hold them). */
  static final long DRAIN_GRACE_MS = 2_000;
  /** Bytes written to stdin but not yet taken by the child, per process, before writes are refused. */
  static final int MAX_PENDING_STDIN = 1 << 20;
  /** Batches a pump may hand over before the event loop has taken them: past it the pump, then the child, wait. */
  private static final int BATCHES_IN_FLIGHT = 8;

  private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
  private static final File DEV_NULL = new File("/dev/null");

  final String id;
  final RunRequest request;
  private final Vertx vertx;
  private final Context context;
  private final ExecutorService spawners;
  private final ExecutorService io;
  private final CommandPolicy policy;
  private final Runnable onExit;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final Promise<JsonObject> result = Promise.promise();
  private final Semaphore batchPermits = new Semaphore(BATCHES_IN_FLIGHT);
  private final long createdNanos = System.nanoTime();

  private State state = State.QUEUED;
  private Process process;
  private long launchedNanos;
  private long startedNanos;
  private long endedNanos;
  private StdinWriter stdin;
  private boolean stdinOpen;
  private long pendingStdin;
  private int openStreams;
  private Integer exitCode;
  private String endedBy = "exit";
  private String startError;
  private boolean terminateWhenStarted;
  private long timeoutTimer = -1;
  private long graceTimer = -1;
  private final List<ProcessHandle> signalled = new ArrayList<>();

  // Output: every batch gets the next seq; batches are kept until outputMax bytes, then only counted.
  private int nextSeq;
  private final List<JsonObject> kept = new ArrayList<>();
  private final StringBuilder[] keptText = {new StringBuilder(), new StringBuilder()}; // stdout, stderr
  private long keptBytes;
  private boolean truncated;
  private final long[] lines = new long[2];
  private final long[] bytes = new long[2];
  private final boolean[] endsPartial = new boolean[2];

  ChildProcess(String id, RunRequest request, Vertx vertx, Context context, ExecutorService spawners,
               ExecutorService io, CommandPolicy policy, Runnable onExit) {
    this.id = id;
    this.request = request;
    this.vertx = vertx;
    this.context = context;
    this.spawners = spawners;
    this.io = io;
    this.policy = policy;
    this.onExit = onExit;
  }

  State state() {
    return state;
  }

  /** Completes with {@link #resultJson()} once the child has exited (or was cancelled while queued). */
  Future<JsonObject> result() {
    return result.future();
  }

  /** The child's process id once it runs, else null. */
  Long pid() {
    return process == null ? null : process.pid();
  }

  boolean timedOut() {
    return "timeout".equals(endedBy);
  }

  void addConsumer(MessageConsumer<?> consumer) {
    consumers.add(consumer);
  }

  /** Completes once every address of this child is registered (cluster-wide when clustered). */
  Future<Void> registered() {
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  Future<Void> unregister() {
    List<Future<Void>> all = new ArrayList<>(consumers.size());
    for (MessageConsumer<?> consumer : consumers) {
      all.add(consumer.unregister());
    }
    consumers.clear();
    return Future.join(all).mapEmpty();
  }

  /**
   * Starts the child on a spawner thread (at a lower priority than the event loops, see {@link SpawnerThreads}),
   * which then waits for its exit; the Future completes on the event loop once it runs, or fails with 422.
   */
  Future<Void> start() {
    state = State.STARTING;
    launchedNanos = System.nanoTime();
    Promise<Void> started = Promise.promise();
    boolean pipeIn = request.keepStdinOpen() || request.stdin() != null;
    spawners.execute(() -> {
      Process child;
      try {
        child = builder(pipeIn).start();
      } catch (IOException | RuntimeException e) {
        context.runOnContext(v -> {
          failedToStart(e);
          started.fail(Failure.UNPROCESSABLE.exception("could not start " + request.executable() + ": " + e.getMessage()));
        });
        return;
      }
      context.runOnContext(v -> {
        running(child, pipeIn);
        started.complete();
      });
      // This thread waits for the exit itself. Process.onExit() would complete on CompletableFuture's default
      // executor, which on a machine of one or two cores starts a new thread for every task.
      int code = waitForExit(child);
      context.runOnContext(v -> exited(code));
    });
    return started.future();
  }

  /**
   * The child's command line, working directory, scrubbed environment and redirections. Built on the spawner
   * thread that starts the child: copying the JVM's environment only to clear it is work the event loop
   * need not do for every spawn.
   */
  private ProcessBuilder builder(boolean pipeIn) {
    ProcessBuilder builder = new ProcessBuilder(command()).directory(policy.workDir().toFile());
    builder.environment().clear();
    builder.environment().putAll(policy.environment());
    if (request.discardOutput()) {
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
    }
    if (!pipeIn) {
      builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    }
    return builder;
  }

  private List<String> command() {
    List<String> command = new ArrayList<>(request.args().size() + 1);
    command.add(request.executable().toString());
    command.addAll(request.args());
    return command;
  }

  private void running(Process started, boolean pipeIn) {
    process = started;
    startedNanos = System.nanoTime();
    state = State.RUNNING;
    log.debug("process {} started: pid {} {}", id, started.pid(), request.commandLine());
    timeoutTimer = vertx.setTimer(request.timeoutMs(), t -> {
      timeoutTimer = -1;
      terminate("timeout");
    });
    if (!request.discardOutput()) {
      openStreams = 2;
      io.execute(new OutputPump("stdout", started.getInputStream(), pumpSink()));
      io.execute(new OutputPump("stderr", started.getErrorStream(), pumpSink()));
    }
    if (pipeIn) {
      stdin = new StdinWriter(started.getOutputStream());
      stdinOpen = request.keepStdinOpen();
      io.execute(stdin);
      if (request.stdin() != null) {
        byte[] data = request.stdin().getBytes(StandardCharsets.UTF_8);
        stdin.write(new StdinWriter.Chunk(data, !request.keepStdinOpen(), (n, e) -> { }));
      } else if (!request.keepStdinOpen()) {
        stdin.stop();
      }
    }
    if (terminateWhenStarted) {
      terminate(endedBy);
    }
  }

  private static int waitForExit(Process child) {
    boolean interrupted = false;
    while (true) {
      try {
        int code = child.waitFor();
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        return code;
      } catch (InterruptedException e) {
        interrupted = true; // the pool is shutting down; the child still gets reaped and reported
      }
    }
  }

  private void failedToStart(Throwable e) {
    startError = e.getMessage();
    endedBy = "failed";
    finish();
  }

  private OutputPump.Sink pumpSink() {
    return new OutputPump.Sink() {
      @Override
      public void batch(OutputPump.Batch batch) throws InterruptedException {
        batchPermits.acquire(); // back-pressure: past a few batches in flight the pump, then the child, waits
        context.runOnContext(v -> {
          try {
            output(batch);
          } finally {
            batchPermits.release();
          }
        });
      }

      @Override
      public void closed(String stream, IOException error) {
        if (error != null) {
          log.debug("process {}: reading {} failed: {}", id, stream, error.getMessage());
        }
        context.runOnContext(v -> streamClosed());
      }
    };
  }

  private void output(OutputPump.Batch batch) {
    int stream = batch.streamIndex();
    bytes[stream] += batch.bytes();
    lines[stream] += batch.partial() ? batch.lineCount() - 1 : batch.lineCount();
    endsPartial[stream] = batch.partial();
    JsonObject event = outputEvent(batch, nextSeq++);
    keep(event, batch);
    vertx.eventBus().publish(ProcessAddresses.events(id), event);
  }

  /** The event of a batch; its lines are cut from the batch's text only when a watcher's copy reads them. */
  private static JsonObject outputEvent(OutputPump.Batch batch, int seq) {
    return new JsonObject()
      .put("type", "output")
      .put("stream", batch.stream())
      .put("seq", seq)
      .put("lines", new JsonArray(batch.lines()))
      .put("partial", batch.partial());
  }

  /** Keeps a batch for the result and late watchers while under the cap; past it, keeps whole lines that fit. */
  private void keep(JsonObject event, OutputPump.Batch batch) {
    if (truncated) {
      return;
    }
    long room = policy.outputMax() - keptBytes;
    if (batch.bytes() <= room) {
      kept.add(event);
      keptText[batch.streamIndex()].append(batch.text());
      keptBytes += batch.bytes();
      return;
    }
    truncated = true;
    OutputPump.Batch fitting = batch.wholeLinesWithin(room);
    if (fitting.lineCount() > 0) {
      kept.add(outputEvent(fitting, event.getInteger("seq")));
      keptText[batch.streamIndex()].append(fitting.text());
      keptBytes += fitting.bytes();
    }
  }

  private void streamClosed() {
    openStreams--;
    if (exitCode != null && openStreams == 0) {
      finish();
    }
  }

  private void exited(int code) {
    exitCode = code;
    if (openStreams == 0) {
      finish();
      return;
    }
    // The exit came first; the pumps still read what the child wrote last. A grandchild holding the pipes
    // must not keep the result waiting forever.
    graceTimer = vertx.setTimer(DRAIN_GRACE_MS, t -> {
      graceTimer = -1;
      if (state != State.EXITED) {
        log.warn("process {}: its pipes stayed open {} ms after it exited; ending its descendants", id, DRAIN_GRACE_MS);
        signal(true);
        finish();
      }
    });
  }

  /** Ends the child: SIGTERM to it and its descendants, SIGKILL after {@link #KILL_GRACE_MS}. */
  void terminate(String why) {
    if (state == State.QUEUED) {
      endedBy = why;
      finish();
      return;
    }
    if (state == State.STARTING) {
      endedBy = why;
      terminateWhenStarted = true;
      return;
    }
    if (state != State.RUNNING) {
      return;
    }
    state = State.TERMINATING;
    endedBy = why;
    log.info("process {} ({}): {}, sending SIGTERM", id, request.commandLine(), why);
    signal(false);
    vertx.setTimer(KILL_GRACE_MS, t -> {
      if (state == State.TERMINATING && exitCode == null) {
        log.info("process {} still runs {} ms after SIGTERM; sending SIGKILL", id, KILL_GRACE_MS);
        signal(true);
      }
    });
  }

  /** Sends SIGKILL at once, to the child and its descendants. */
  void killNow(String why) {
    if (state == State.QUEUED || state == State.STARTING) {
      terminate(why);
    } else if (state != State.EXITED) {
      endedBy = why;
      state = State.TERMINATING;
      signal(true);
    }
  }

  /** Signals the child and its descendants (listed before the child dies: orphans are no longer its descendants). */
  private void signal(boolean force) {
    Process target = process;
    if (target == null) {
      return;
    }
    io.execute(() -> {
      List<ProcessHandle> family = new ArrayList<>(target.descendants().toList());
      synchronized (signalled) {
        signalled.forEach(handle -> {
          if (!family.contains(handle)) {
            family.add(handle);
          }
        });
        signalled.clear();
        signalled.addAll(family);
      }
      for (ProcessHandle member : family) {
        if (force) {
          member.destroyForcibly();
        } else {
          member.destroy();
        }
      }
      if (force) {
        target.destroyForcibly();
      } else {
        target.destroy();
      }
    });
  }

  /**
   * Writes to stdin; completes with the bytes written once the child's pipe took them.
   *
   * @return a failed Future: 409 when stdin is closed or the child has exited, 429 when too much waits
   */
  Future<Integer> write(String data, boolean eof) {
    if (state == State.QUEUED || state == State.STARTING) {
      return Future.failedFuture(Failure.CONFLICT.exception("process " + id + " has not started yet (it waits for a free slot)"));
    }
    if (!stdinOpen || state == State.EXITED) {
      return Future.failedFuture(Failure.CONFLICT.exception("process " + id + " has "
        + (state == State.EXITED ? "exited" : "no open stdin (start it with keepStdinOpen)")));
    }
    byte[] encoded = data.getBytes(StandardCharsets.UTF_8);
    if (pendingStdin + encoded.length > MAX_PENDING_STDIN) {
      return Future.failedFuture(Failure.TOO_MANY.exception("process " + id + " has not read the "
        + pendingStdin + " bytes already written to its stdin"));
    }
    pendingStdin += encoded.length;
    if (eof) {
      stdinOpen = false;
    }
    Promise<Integer> written = Promise.promise();
    StdinWriter.Chunk chunk = new StdinWriter.Chunk(encoded, eof, (n, error) -> context.runOnContext(v -> {
      pendingStdin -= encoded.length;
      if (error == null) {
        written.complete(n);
      } else {
        written.fail(Failure.CONFLICT.exception("process " + id + " closed its stdin (" + error.getMessage() + ")"));
      }
    }));
    stdin.write(chunk);
    return written.future();
  }

  private void finish() {
    if (state == State.EXITED) {
      return;
    }
    state = State.EXITED;
    endedNanos = System.nanoTime();
    if (timeoutTimer >= 0) {
      vertx.cancelTimer(timeoutTimer);
    }
    if (graceTimer >= 0) {
      vertx.cancelTimer(graceTimer);
    }
    if (stdin != null) {
      stdin.stop();
      stdinOpen = false;
    }
    vertx.eventBus().publish(ProcessAddresses.events(id), resultJson(false).put("type", "exit"));
    log.debug("process {} ended ({}), exit code {}", id, endedBy, exitCode);
    result.complete(resultJson());
    onExit.run();
  }

  /** State and kept output, for {@code process.output.<id>}: the batches a late watcher has missed. */
  JsonObject snapshot() {
    JsonObject snapshot = new JsonObject()
      .put("id", id)
      .put("state", state.name().toLowerCase(java.util.Locale.ROOT))
      .put("nextSeq", nextSeq)
      .put("truncated", truncated)
      .put("output", new JsonArray(new ArrayList<>(kept)));
    if (state == State.EXITED) {
      snapshot.put("result", resultJson(false).put("type", "exit"));
    }
    return snapshot;
  }

  /** The reply to {@code wait}: exit code, how it ended, the kept output as text, and the counts. */
  JsonObject resultJson() {
    return resultJson(true);
  }

  /** The result, with or without the kept output (the exit event carries only the counts). */
  private JsonObject resultJson(boolean withOutput) {
    JsonObject json = new JsonObject()
      .put("id", id)
      .put("command", request.commandLine())
      .put("state", state.name().toLowerCase(java.util.Locale.ROOT))
      .put("pid", pid())
      .put("exitCode", exitCode)
      .put("endedBy", endedBy)
      .put("timedOut", timedOut());
    if (withOutput) {
      json.put("stdout", keptText[0].toString()).put("stderr", keptText[1].toString());
    }
    json.put("stdoutLines", lines[0] + (endsPartial[0] ? 1 : 0))
      .put("stderrLines", lines[1] + (endsPartial[1] ? 1 : 0))
      .put("stdoutBytes", bytes[0])
      .put("stderrBytes", bytes[1])
      .put("truncated", truncated)
      .put("queuedMs", millis((launchedNanos != 0 ? launchedNanos : now()) - createdNanos));
    if (startedNanos != 0) {
      json.put("spawnMs", millis(startedNanos - launchedNanos));
      json.put("durationMs", millis(now() - startedNanos));
    }
    if (startError != null) {
      json.put("error", startError);
    }
    return json;
  }

  /** Now, or the end once the child has exited. */
  private long now() {
    return endedNanos != 0 ? endedNanos : System.nanoTime();
  }

  private static double millis(long nanos) {
    return Math.round(TimeUnit.NANOSECONDS.toMicros(nanos) / 10.0) / 100.0;
  }
}
