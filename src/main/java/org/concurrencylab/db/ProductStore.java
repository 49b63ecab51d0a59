package org.concurrencylab.db;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.bus.ServiceStatus;
import org.concurrencylab.database.Databases;
import org.concurrencylab.database.Migrations;
import org.concurrencylab.spi.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The products store: owns the connection pool ({@code LAB_DB_POOL} connections, the book's 6) and answers
 * the {@code products.*} addresses of {@link Products}. It migrates the schema at start, and seeds the book's
 * data when the tables are empty ({@code LAB_DB_SEED_ON_START}, {@code LAB_DB_SEED}).
 *
 * <p>When PostgreSQL goes away, requests fail fast with 503 (connections are refused, the pool waits at most
 * {@link #ACQUIRE_TIMEOUT_S} s for a connection) and the pool reconnects by itself once the server is back.
 * SKU cursors use a second, small pool so long reads never starve the short queries.
 */
public final class ProductStore extends VerticleBase {

  /** How long a request may wait for a pooled connection before it is answered 503. */
  static final int ACQUIRE_TIMEOUT_S = 5;
  /** How long opening a connection may take (a firewalled host would otherwise hang for a minute). */
  static final int CONNECT_TIMEOUT_MS = 2_000;
  /** Requests queued for a connection beyond this are refused with 503 rather than piling up. */
  static final int WAIT_QUEUE = 4_096;
  /** SKU cursors open at once; each holds a connection of the stream pool. */
  static final int MAX_CURSORS = 2;
  static final int BATCH_DEFAULT = 1_000;
  static final int BATCH_MAX = 10_000;
  static final int BRANDS_PER_REQUEST_MAX = 1_000;

  private static final Logger log = LoggerFactory.getLogger(ProductStore.class);

  private Pool pool;
  private Pool cursorPool;
  private final Set<SkuCursor> cursors = new HashSet<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong unavailable = new AtomicLong();
  private long rowsStreamed;

  @Override
  public Future<?> start() {
    int size = config().getInteger("db_pool", 6);
    if (size < 1) {
      return Future.failedFuture(new StartupException("db_pool", "must be at least 1, not " + size));
    }
    PgConnectOptions connect = Databases.connectOptions(config().getString("db_url"));
    NetClientOptions network = new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS);
    pool = PgBuilder.pool().with(poolOptions("products", size, WAIT_QUEUE)).with(network).connectingTo(connect)
      .using(vertx).build();
    cursorPool = PgBuilder.pool().with(poolOptions("products-cursors", MAX_CURSORS, MAX_CURSORS)).with(network)
      .connectingTo(connect).using(vertx).build();
    boolean seedOnStart = config().getBoolean("db_seed_on_start", true);
    long seed = config().getInteger("db_seed", 42);
    return Migrations.apply(pool, ProductSql.MIGRATIONS)
      .compose(applied -> seedOnStart ? ProductSeeder.seedIfEmpty(pool, seed) : Future.succeededFuture(false))
      .onSuccess(seeded -> {
        if (seeded) {
          log.info("seeded the empty product tables with the book's data (seed {})", seed);
        }
      })
      .recover(failure -> Future.failedFuture(new StartupException("db_url", "cannot prepare the products database at "
        + connect.getHost() + ":" + connect.getPort() + " (" + Failure.describe(failure) + ")")))
      .compose(v -> Future.all(List.of(
        serve(Products.BRANDS, this::brands),
        serve(Products.CREATE_BRANDS, this::createBrands),
        serve(Products.GET, this::product),
        serve(Products.LIST, this::products),
        serve(Products.CREATE, this::createProduct),
        serve(Products.SKUS, this::productSkus),
        serve(Products.STREAM_SKUS, this::openCursor),
        ServiceStatus.serve(vertx, DbModule.NAME, config().getString("node_name", ""), new JsonArray(), this::stats))));
  }

  private static PoolOptions poolOptions(String name, int size, int waitQueue) {
    return new PoolOptions().setName(name).setMaxSize(size).setMaxWaitQueueSize(waitQueue)
      .setConnectionTimeout(ACQUIRE_TIMEOUT_S).setConnectionTimeoutUnit(TimeUnit.SECONDS);
  }

  /** Every handler's failures pass through {@link StoreFailures}, so callers see 400/404/422/503, not SQL errors. */
  private Future<Void> serve(String address, java.util.function.Function<JsonObject, Future<?>> handler) {
    return Bus.serve(vertx, address, (Message<Object> message) -> {
      requests.incrementAndGet();
      return handler.apply(Bus.jsonBody(message)).recover(failure -> {
        Throwable mapped = StoreFailures.toBus(failure);
        if (Failure.of(mapped) == Failure.UNAVAILABLE) {
          unavailable.incrementAndGet();
        }
        return Future.failedFuture(mapped);
      });
    });
  }

  private Future<JsonObject> brands(JsonObject request) {
    return pool.preparedQuery(ProductSql.BRANDS).execute()
      .map(rows -> new JsonObject().put("brands", toJson(rows)));
  }

  private Future<JsonObject> product(JsonObject request) {
    int id = Inputs.id(request, "product_id");
    return pool.preparedQuery(ProductSql.PRODUCT).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
      ? Future.failedFuture(Failure.NOT_FOUND.exception("no product with product_id " + id))
      : Future.succeededFuture(rows.iterator().next().toJson()));
  }

  private Future<JsonObject> products(JsonObject request) {
    return pool.preparedQuery(ProductSql.PRODUCTS).execute()
      .map(rows -> new JsonObject().put("products", toJson(rows)));
  }

  private Future<JsonObject> createProduct(JsonObject request) {
    String name = Inputs.name(request, "product_name");
    int brand = Inputs.id(request, "brand_id");
    return pool.preparedQuery(ProductSql.CREATE_PRODUCT).execute(Tuple.of(name, brand))
      .map(rows -> new JsonObject().put("product_id", rows.iterator().next().getInteger(0)))
      .recover(failure -> Future.failedFuture(Failure.of(StoreFailures.toBus(failure)) == Failure.UNPROCESSABLE
        ? Failure.UNPROCESSABLE.exception("no brand with brand_id " + brand)
        : failure));
  }

  private Future<JsonObject> productSkus(JsonObject request) {
    int id = Inputs.id(request, "product_id");
    return pool.preparedQuery(ProductSql.PRODUCT_SKUS).execute(Tuple.of(id))
      .map(rows -> new JsonObject().put("skus", toJson(rows)));
  }

  /**
   * Creates brands in one transaction. {@code on_error: "rollback"} (the default, the book's 5.9): a failing
   * insert undoes every one before it. {@code "skip"} (5.10-5.12): each insert runs inside a savepoint, so a
   * failing one is rolled back alone and the others are committed; it is reported in {@code skipped}.
   */
  private Future<JsonObject> createBrands(JsonObject request) {
    List<String> names = Inputs.names(request, "brand_names", BRANDS_PER_REQUEST_MAX);
    String onError = request.getValue("on_error", "rollback") instanceof String s ? s : "";
    return switch (onError) {
      case "rollback" -> pool.withTransaction(connection -> BrandImport.allOrNothing(connection, names));
      case "skip" -> pool.withConnection(connection -> BrandImport.skippingFailures(connection, names));
      default -> Future.failedFuture(Failure.BAD_REQUEST.exception("on_error must be \"rollback\" or \"skip\""));
    };
  }

  private Future<JsonObject> openCursor(JsonObject request) {
    Object batchValue = request.getValue("batch", BATCH_DEFAULT);
    if (!(batchValue instanceof Integer batch) || batch < 1 || batch > BATCH_MAX) {
      return Future.failedFuture(Failure.BAD_REQUEST.exception("batch must be an integer from 1 to " + BATCH_MAX));
    }
    if (cursors.size() >= MAX_CURSORS) {
      return Future.failedFuture(Failure.TOO_MANY.exception(
        "too many SKU streams are open (" + MAX_CURSORS + "); try again when one has finished"));
    }
    return SkuCursor.open(vertx, cursorPool, batch, new SkuCursor.Stats() {
      @Override
      public void rowFetched() {
        rowsStreamed++;
      }

      @Override
      public void closed(SkuCursor cursor) {
        cursors.remove(cursor);
      }
    }).map(cursor -> {
      cursors.add(cursor);
      return new JsonObject().put("cursor", cursor.address());
    });
  }

  private JsonObject stats() {
    return new JsonObject()
      .put("pool_size", config().getInteger("db_pool", 6))
      .put("requests", requests.get())
      .put("unavailable", unavailable.get())
      .put("streams_open", cursors.size())
      .put("streams_waiting_for_reader", cursors.stream().filter(SkuCursor::waitingForReader).count())
      .put("stream_rows_fetched", rowsStreamed);
  }

  static JsonArray toJson(RowSet<Row> rows) {
    JsonArray array = new JsonArray(new java.util.ArrayList<>(rows.size()));
    for (Row row : rows) {
      array.add(row.toJson());
    }
    return array;
  }

  @Override
  public Future<?> stop() {
    List.copyOf(cursors).forEach(SkuCursor::close);
    return Future.join(cursorPool == null ? Future.succeededFuture() : cursorPool.close(),
      pool == null ? Future.succeededFuture() : pool.close());
  }
}
