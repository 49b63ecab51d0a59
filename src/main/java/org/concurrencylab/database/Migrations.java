package org.concurrencylab.database;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned schema migrations, one set per service: {@code db/<service>/V1.sql}, {@code V2.sql}, ... on the
 * classpath, applied in order, each once, each in its own transaction. A table {@code lab_migrations}
 * records what ran, and a transaction-scoped advisory lock keeps two nodes starting at once from applying
 * the same step twice. Running them again is a no-op, so every start may call {@link #apply}.
 */
public final class Migrations {

  private static final String TRACKING_TABLE = """
    CREATE TABLE IF NOT EXISTS lab_migrations (
      service    TEXT        NOT NULL,
      version    INT         NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY (service, version))""";

  /** The advisory lock key all lab migrations share (an arbitrary constant: "lab" in ASCII). */
  private static final long LOCK_KEY = 0x6c6162L;

  private Migrations() {
  }

  /** Applies the service's pending migrations; completes with the number applied. */
  public static Future<Integer> apply(Pool pool, String service) {
    List<String> steps = load(service);
    return pool.withTransaction(connection -> connection
      .query("SET LOCAL client_min_messages = warning").execute() // no "already exists, skipping" notices
      .compose(v -> connection.query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")").execute())
      .compose(v -> connection.query(TRACKING_TABLE).execute())
      .compose(v -> connection.preparedQuery("SELECT coalesce(max(version), 0) FROM lab_migrations WHERE service = $1")
        .execute(Tuple.of(service)))
      .compose(rows -> applyFrom(connection, service, steps, rows.iterator().next().getInteger(0))));
  }

  private static Future<Integer> applyFrom(SqlConnection connection, String service, List<String> steps, int done) {
    Future<Void> chain = Future.succeededFuture();
    for (int version = done + 1; version <= steps.size(); version++) {
      int v = version;
      chain = chain
        .compose(ignored -> connection.query(steps.get(v - 1)).execute())
        .compose(ignored -> connection.preparedQuery("INSERT INTO lab_migrations (service, version) VALUES ($1, $2)")
          .execute(Tuple.of(service, v)))
        .mapEmpty();
    }
    return chain.map(ignored -> Math.max(0, steps.size() - done));
  }

  private static List<String> load(String service) {
    List<String> steps = new ArrayList<>();
    ClassLoader loader = Migrations.class.getClassLoader();
    for (int version = 1; ; version++) {
      try (InputStream in = loader.getResourceAsStream("db/" + service + "/V" + version + ".sql")) {
        if (in == null) {
          return steps;
        }
        steps.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
