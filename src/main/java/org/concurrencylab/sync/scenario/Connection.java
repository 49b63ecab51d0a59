package org.concurrencylab.sync.scenario;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.sync.Condition;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The book's 11.14-11.15: a database connection that takes a while to become ready. A query sent before
 * it is ready fails ("connection not ready"); a query that first waits on the {@link Condition} until the
 * state is {@code ready} runs as soon as {@link #connect()} signals it.
 */
public final class Connection {

  private final Vertx vertx;
  private final Condition ready;
  private final Duration initTime;
  private final AtomicReference<String> state;

  /** A connection whose {@link #connect()} takes {@code initTime} (the book's 3 s). */
  public Connection(Vertx vertx, Condition ready, Duration initTime) {
    this(vertx, ready, initTime, new AtomicReference<>("not ready"));
  }

  private Connection(Vertx vertx, Condition ready, Duration initTime, AtomicReference<String> state) {
    this.vertx = vertx;
    this.ready = ready;
    this.initTime = initTime;
    this.state = state;
  }

  /** This connection used from another Vert.x instance through its handle of the same condition. */
  public Connection seenFrom(Vertx other, Condition sameCondition) {
    return new Connection(other, sameCondition, initTime, state);
  }

  public String state() {
    return state.get();
  }

  /** Initializes, then, holding the lock, marks the connection ready and wakes every waiting query. */
  public Future<Void> connect() {
    return vertx.timer(Math.max(1, initTime.toMillis())).compose(initialized ->
      ready.lock().withLock(Duration.ofSeconds(30), () -> {
        state.set("ready");
        return ready.signalAll().<Void>mapEmpty();
      }));
  }

  /** The bug: runs at once, whatever the state. */
  public Future<String> queryWithoutWaiting(String sql) {
    return "ready".equals(state.get()) ? execute(sql)
      : Future.failedFuture(new IllegalStateException("connection not ready for: " + sql));
  }

  /** The fix: waits (at most {@code timeout}) on the condition until the connection is ready, then runs. */
  public Future<String> query(String sql, Duration timeout) {
    return ready.lock().withLock(timeout, () -> ready.awaitUntil(() -> "ready".equals(state.get()), timeout))
      .compose(isReady -> isReady ? execute(sql)
        : Future.failedFuture(Failure.TIMEOUT.exception("connection not ready within " + timeout.toMillis() + " ms")));
  }

  private Future<String> execute(String sql) {
    return vertx.timer(1).map(done -> "result of " + sql);
  }
}
