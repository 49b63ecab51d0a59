package org.concurrencylab.database;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Migrations on a real PostgreSQL: applied in order, once, even when two callers race. */
class MigrationsTest {

  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    pool = Databases.pool(vertx, new JsonObject().put("db_url", TestDatabase.freshDatabase("migrations")), 4);
  }

  @AfterAll
  static void close() {
    Await.result(pool.close());
    Await.result(vertx.close());
  }

  @Test
  void appliesEachStepOnceInOrderEvenWhenTwoNodesStartTogether() {
    // src/test/resources/db/migrations-test/V1.sql creates a table, V2.sql inserts a row.
    List<Integer> applied = Await.result(io.vertx.core.Future.all(
        Migrations.apply(pool, "migrations-test"), Migrations.apply(pool, "migrations-test")))
      .list();
    assertThat(applied).containsExactlyInAnyOrder(2, 0);
    assertThat(Await.result(Migrations.apply(pool, "migrations-test"))).isZero();

    List<String> rows = new ArrayList<>();
    Await.result(pool.query("SELECT note FROM migrations_probe ORDER BY note").execute())
      .forEach((Row row) -> rows.add(row.getString(0)));
    assertThat(rows).containsExactly("from V2");
  }
}
