package org.concurrencylab.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.concurrencylab.database.Databases;
import org.concurrencylab.database.EmbeddedDatabase;
import org.concurrencylab.database.Migrations;

import java.nio.file.Path;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The database a demo or a command of the jar works on, found the way the lab finds it: {@code LAB_DB_URL}
 * when set, else the embedded PostgreSQL in {@code LAB_DATA_DIR/postgres} (started for the command and stopped
 * after it; a lab running on the same data directory holds its lock, so stop it first or give its URL).
 */
final class CommandDatabase {

  private CommandDatabase() {
  }

  /** {@code db_url} and {@code data_dir} from {@code LAB_DB_URL} and {@code LAB_DATA_DIR}, for the jar's commands. */
  static JsonObject fromEnvironment() {
    String dataDir = System.getenv("LAB_DATA_DIR");
    String url = System.getenv("LAB_DB_URL");
    return new JsonObject()
      .put("db_url", url == null ? "" : url.trim())
      .put("data_dir", dataDir == null || dataDir.isBlank() ? "./data" : dataDir);
  }

  /**
   * Runs {@code work} with a migrated pool of {@code size} connections and an unbounded wait queue (the demos
   * queue thousands of queries on purpose), then closes the pool and any server started for it.
   */
  static <T> Future<T> withPool(Vertx vertx, JsonObject config, int size, Consumer<String> say,
                                Function<Pool, Future<T>> work) {
    return withPool(vertx, config, size, say, (pool, connect) -> work.apply(pool));
  }

  /** As above; {@code work} also gets the connect options, to open clients of its own on the same database. */
  static <T> Future<T> withPool(Vertx vertx, JsonObject config, int size, Consumer<String> say,
                                BiFunction<Pool, PgConnectOptions, Future<T>> work) {
    String configured = config.getString("db_url", "");
    Future<EmbeddedDatabase> server = configured.isBlank()
      ? vertx.executeBlocking(() -> {
        Path dir = Path.of(config.getString("data_dir"), "postgres").toAbsolutePath().normalize();
        say.accept("Starting the embedded PostgreSQL in " + dir + " (LAB_DB_URL is empty)");
        return EmbeddedDatabase.start(dir);
      }, false)
      : Future.succeededFuture(null);
    return server.compose(embedded -> {
      PgConnectOptions connect = Databases.connectOptions(embedded == null ? configured : embedded.url());
      Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setMaxWaitQueueSize(-1))
        .connectingTo(connect)
        .using(vertx)
        .build();
      return Migrations.apply(pool, ProductSql.MIGRATIONS)
        .compose(applied -> work.apply(pool, connect))
        .eventually(pool::close)
        .eventually(() -> embedded == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
          embedded.close();
          return null;
        }, false));
    });
  }
}
