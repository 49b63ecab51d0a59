package org.concurrencylab.mapreduce.job;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.bus.ServiceStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The coordinator of one node: starts word-count jobs ({@code mapreduce.jobs.start}, {@code mapreduce.wordcount}),
 * answers for each of them on {@code mapreduce.job.<id>} and reports the node's {@code mapreduce.status}.
 * An event-loop verticle: it only plans (on a worker thread), sends, and books; the counting happens in the
 * map workers of every node and the merging on worker threads.
 */
public final class JobCoordinator extends VerticleBase {

  /** Jobs one coordinator runs at once: each holds a table of every distinct ngram until it ends. */
  static final int MAX_RUNNING = 2;
  /** Finished jobs kept for {@code GET /jobs/{id}}; older ones are forgotten. */
  static final int KEEP_FINISHED = 20;

  private final CoordinatorSettings settings;
  private final NodeStats stats;
  private final Map<String, HostedJob> jobs = new LinkedHashMap<>();
  private int starting;

  private record HostedJob(WordCountJob job, MessageConsumer<Object> consumer) {
  }

  /** What planning on a worker thread gives the event loop: the file and its partitions. */
  private record Planned(Path path, FileSplitter.Plan plan) {
  }

  JobCoordinator(CoordinatorSettings settings, NodeStats stats) {
    this.settings = settings;
    this.stats = stats;
  }

  @Override
  public Future<?> start() {
    JsonArray endpoints = new JsonArray()
      .add(ServiceStatus.endpoint("bus", WordCountAddresses.START))
      .add(ServiceStatus.endpoint("bus", WordCountAddresses.MAP));
    return Future.all(
      Bus.serve(vertx, WordCountAddresses.START, message -> create(message).map(WordCountJob::toJson)),
      Bus.serve(vertx, WordCountAddresses.WORDCOUNT, message -> create(message).compose(WordCountJob::completion)),
      ServiceStatus.serve(vertx, "mapreduce", settings.node(), endpoints, stats::toJson));
  }

  @Override
  public Future<?> stop() {
    for (HostedJob hosted : jobs.values()) {
      hosted.job().fail(Failure.UNAVAILABLE, "the coordinator on node " + settings.node() + " stopped");
    }
    return Future.succeededFuture();
  }

  private Future<WordCountJob> create(Message<Object> message) {
    long started = System.nanoTime();
    JobRequest request = JobRequest.from(Bus.jsonBody(message), settings.partitionTimeoutMs());
    if (running() + starting >= MAX_RUNNING) {
      throw Failure.TOO_MANY.exception("this node already runs " + MAX_RUNNING + " jobs; try again when one ends");
    }
    starting++;
    return vertx.executeBlocking(() -> {
        Path path = readableFile(request.path());
        return new Planned(path, FileSplitter.split(path, request.partitionLines()));
      }, false)
      .compose(planned -> host(new WordCountJob(vertx, UUID.randomUUID().toString(), request, planned.path(),
        planned.plan(), settings.inFlight(), settings.node(), started, stats.workers.get())))
      .eventually(() -> {
        starting--; // after host(): by then a started job counts as running
        return Future.succeededFuture();
      });
  }

  private Future<WordCountJob> host(WordCountJob job) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(WordCountAddresses.job(job.id()),
      message -> message.reply(job.toJson()));
    return consumer.completion().map(registered -> {
      jobs.put(job.id(), new HostedJob(job, consumer));
      stats.jobsRunning.incrementAndGet();
      job.completion().onComplete(done -> {
        stats.jobsRunning.decrementAndGet();
        stats.jobsDone.incrementAndGet();
      }, failed -> {
        stats.jobsRunning.decrementAndGet();
        stats.jobsFailed.incrementAndGet();
      });
      job.start();
      forgetOldJobs();
      return job;
    });
  }

  private int running() {
    return (int) jobs.values().stream().filter(hosted -> hosted.job().state() == WordCountJob.State.RUNNING).count();
  }

  private void forgetOldJobs() {
    List<HostedJob> finished = new ArrayList<>();
    jobs.values().stream().filter(hosted -> hosted.job().state() != WordCountJob.State.RUNNING).forEach(finished::add);
    Iterator<HostedJob> oldestFirst = finished.iterator();
    for (int extra = finished.size() - KEEP_FINISHED; extra > 0; extra--) {
      HostedJob old = oldestFirst.next();
      jobs.remove(old.job().id());
      old.consumer().unregister();
    }
  }

  /**
   * The real path of a regular, readable file inside the allowed roots; each refusal names the reason.
   * Blocking (file system calls).
   */
  private Path readableFile(String name) throws IOException {
    Path path;
    try {
      path = Path.of(name).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw Failure.BAD_REQUEST.exception("not a valid path: " + e.getMessage());
    }
    if (!settings.allows(path)) {
      throw outsideRoots(name);
    }
    Path real;
    try {
      real = path.toRealPath();
    } catch (NoSuchFileException e) {
      throw Failure.NOT_FOUND.exception("no such file: " + name);
    }
    if (!settings.allows(real)) {
      throw outsideRoots(name);
    }
    if (Files.isDirectory(real)) {
      throw Failure.UNPROCESSABLE.exception(name + " is a directory, not a 1-gram file");
    }
    if (!Files.isRegularFile(real)) {
      throw Failure.UNPROCESSABLE.exception(name + " is not a regular file");
    }
    if (!Files.isReadable(real)) {
      throw Failure.UNPROCESSABLE.exception("cannot read " + name + ": permission denied");
    }
    return real;
  }

  private RuntimeException outsideRoots(String name) {
    return Failure.BAD_REQUEST.exception(name + " is outside the directories jobs may read (mapreduce_roots: "
      + String.join(",", settings.roots().stream().map(Path::toString).toList()) + ")");
  }
}
