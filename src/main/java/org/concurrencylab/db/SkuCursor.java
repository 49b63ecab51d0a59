package org.concurrencylab.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import org.concurrencylab.bus.Failure;

import java.util.UUID;

/**
 * One open read of every SKU, pulled batch by batch over the bus. The reader asks for the next batch on the
 * cursor's own address only when it is ready for more; until then the {@link RowStream} has no demand, so
 * nothing more is read from PostgreSQL. A slow HTTP client therefore pauses the database read instead of
 * filling the server's memory. The cursor holds a connection (and its transaction) from the stream pool; it
 * closes itself at the end, on {@code {close: true}}, or when nobody has asked for a batch for
 * {@link #IDLE_TIMEOUT_MS}.
 */
final class SkuCursor {

  static final long IDLE_TIMEOUT_MS = 30_000;

  /** What every open cursor reports to the store's status. */
  interface Stats {
    void rowFetched();

    void closed(SkuCursor cursor);
  }

  private final Vertx vertx;
  private final String address = "products.cursor." + UUID.randomUUID();
  private final int batchSize;
  private final Stats stats;
  private SqlConnection connection;
  private Transaction transaction;
  private RowStream<Row> stream;
  private MessageConsumer<Object> consumer;
  private JsonArray batch = new JsonArray();
  private Message<Object> pending;
  private boolean ended;
  private boolean closed;
  private long idleTimer = -1;

  private SkuCursor(Vertx vertx, int batchSize, Stats stats) {
    this.vertx = vertx;
    this.batchSize = batchSize;
    this.stats = stats;
  }

  /** Opens a cursor over every SKU; completes once its address is registered (cluster-wide). */
  static Future<SkuCursor> open(Vertx vertx, Pool pool, int batchSize, Stats stats) {
    SkuCursor cursor = new SkuCursor(vertx, batchSize, stats);
    return pool.getConnection()
      .compose(connection -> {
        cursor.connection = connection;
        return connection.begin()
          .compose(tx -> {
            cursor.transaction = tx;
            return connection.prepare(ProductSql.ALL_SKUS);
          })
          .compose(statement -> {
            cursor.attach(statement.createStream(batchSize));
            cursor.consumer = vertx.eventBus().consumer(cursor.address, cursor::handle);
            return cursor.consumer.completion();
          })
          .map(cursor)
          .onFailure(failure -> cursor.close());
      });
  }

  String address() {
    return address;
  }

  /** True while the cursor has rows ready or read nothing because nobody asked: the reader is behind. */
  boolean waitingForReader() {
    return !closed && pending == null;
  }

  private void attach(RowStream<Row> rows) {
    stream = rows;
    stream.pause(); // no demand until the reader asks
    stream.exceptionHandler(this::fail);
    stream.endHandler(v -> {
      ended = true;
      deliver();
    });
    stream.handler(row -> {
      stats.rowFetched();
      batch.add(new JsonObject()
        .put("sku_id", row.getInteger(0))
        .put("product_id", row.getInteger(1))
        .put("product_size_id", row.getInteger(2))
        .put("product_color_id", row.getInteger(3)));
      if (batch.size() >= batchSize) {
        deliver();
      }
    });
    armIdleTimer();
  }

  private void handle(Message<Object> message) {
    if (message.body() instanceof JsonObject body && body.getBoolean("close", false)) {
      close();
      message.reply(new JsonObject().put("closed", true));
      return;
    }
    if (pending != null) {
      message.fail(Failure.CONFLICT.code(), "the previous batch of this cursor is still being read");
      return;
    }
    pending = message;
    armIdleTimer();
    if (ended) {
      deliver();
    } else {
      stream.fetch(batchSize);
    }
  }

  private void deliver() {
    if (pending == null) {
      return;
    }
    Message<Object> asker = pending;
    pending = null;
    JsonArray rows = batch;
    batch = new JsonArray();
    asker.reply(new JsonObject().put("rows", rows).put("done", ended));
    if (ended) {
      close();
    }
  }

  private void fail(Throwable failure) {
    Throwable reply = StoreFailures.toBus(failure);
    if (pending != null) {
      pending.fail(Failure.of(reply) == Failure.INTERNAL ? Failure.UNAVAILABLE.code() : Failure.of(reply).code(),
        "reading the SKUs failed: " + Failure.describe(failure));
      pending = null;
    }
    close();
  }

  private void armIdleTimer() {
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
    }
    idleTimer = vertx.setTimer(IDLE_TIMEOUT_MS, id -> close());
  }

  /** Ends the read and gives the connection back; safe to call more than once. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
    }
    if (pending != null) {
      pending.fail(Failure.UNAVAILABLE.code(), "the cursor was closed");
      pending = null;
    }
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    Future<Void> streamClosed = stream == null ? Future.succeededFuture() : stream.close();
    Future.join(unregistered, streamClosed)
      .eventually(() -> transaction == null ? Future.succeededFuture() : transaction.rollback())
      .eventually(() -> connection == null ? Future.succeededFuture() : connection.close());
    stats.closed(this);
  }
}
