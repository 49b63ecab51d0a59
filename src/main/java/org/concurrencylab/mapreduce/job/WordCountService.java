package org.concurrencylab.mapreduce.job;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The word count on one node: its map workers and its coordinator, deployed together (a lab node) or
 * apart (a node that only maps, in the cluster tests). They share the node's {@link NodeStats}.
 */
public final class WordCountService {

  /** The worker pool the map workers count on, one thread per instance, apart from Vert.x's default pool. */
  static final String WORKER_POOL = "mapreduce-map";

  private final Vertx vertx;
  private final String node;
  private final NodeStats stats = new NodeStats();

  public WordCountService(Vertx vertx, String node) {
    this.vertx = vertx;
    this.node = node;
  }

  /** {@code 0} means one per core. */
  public static int workerCount(int configured) {
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  /**
   * Deploys {@code instances} map workers as {@code ThreadingModel.WORKER} verticles on a pool of as many
   * threads. Completes with the deployment id once every instance serves {@code mapreduce.map}.
   */
  public Future<String> deployWorkers(int instances, JsonObject config) {
    return vertx.deployVerticle(() -> new MapWorker(node, stats), new DeploymentOptions()
      .setThreadingModel(ThreadingModel.WORKER)
      .setInstances(instances)
      .setWorkerPoolName(WORKER_POOL)
      .setWorkerPoolSize(instances)
      .setConfig(config.copy()));
  }

  /** Deploys the node's coordinator (one instance: it holds the jobs). */
  public Future<String> deployCoordinator(CoordinatorSettings settings, JsonObject config) {
    return vertx.deployVerticle(new JobCoordinator(settings, stats), new DeploymentOptions().setConfig(config.copy()));
  }
}
