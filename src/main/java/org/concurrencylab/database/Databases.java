package org.concurrencylab.database;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Pools built from the lab's {@code db_url} setting. */
public final class Databases {

  private Databases() {
  }

  /** Connection options parsed from a {@code postgresql://user:pw@host:port/db} URL. */
  public static PgConnectOptions connectOptions(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("no database: db_url is empty (the node starts an embedded PostgreSQL "
        + "only for services that declare needsDatabase())");
    }
    return PgConnectOptions.fromUri(url)
      .setCachePreparedStatements(true)
      .setPipeliningLimit(256);
  }

  /** A pool of {@code maxSize} connections to the node's database ({@code db_url} of {@code config}). */
  public static Pool pool(Vertx vertx, JsonObject config, int maxSize) {
    return PgBuilder.pool()
      .with(new PoolOptions().setMaxSize(maxSize).setMaxWaitQueueSize(10_000).setConnectionTimeout(5)
        .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS))
      .connectingTo(connectOptions(config.getString("db_url")))
      .using(vertx)
      .build();
  }
}
