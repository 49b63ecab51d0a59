package org.concurrencylab.queue.order;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.concurrencylab.database.Databases;

import java.util.concurrent.TimeUnit;

/**
 * The order app's pools: the lab's ({@link Databases#pool}) with {@code synchronous_commit} on for their
 * sessions. The embedded PostgreSQL starts with it off (its launcher's default, good for tests), which acknowledges
 * a commit before its WAL is written: a PostgreSQL crash could then lose orders already answered with 202, or
 * completions already shown as done. On, a commit is answered once its WAL is written (flushed to disk where the
 * server runs with {@code fsync} on; the embedded one runs with it off, so the WAL reaches the OS, not the disk).
 */
final class OrderDatabase {

  private OrderDatabase() {
  }

  static Pool pool(Vertx vertx, JsonObject config, int maxSize) {
    return PgBuilder.pool()
      .with(new PoolOptions().setMaxSize(maxSize).setMaxWaitQueueSize(10_000).setConnectionTimeout(5)
        .setConnectionTimeoutUnit(TimeUnit.SECONDS))
      .connectingTo(Databases.connectOptions(config.getString("db_url")).addProperty("synchronous_commit", "on"))
      .using(vertx)
      .build();
  }
}
