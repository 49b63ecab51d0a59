package org.concurrencylab.sync.scenario;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.concurrencylab.sync.Lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The book's 11.3-11.5: a chat server broadcasts to every connected user, one slow send after another,
 * while a user disconnects. Without a lock the disconnect changes the map of users in the middle of the
 * iteration ({@link java.util.ConcurrentModificationException}, Python's "dictionary changed size during
 * iteration"); with the lock, held by the broadcast and by the disconnect, the user leaves after it.
 */
public final class BroadcastRace {

  /** What happened: the broadcast's error (null when it completed), who got the message, who is left. */
  public record Result(String error, List<String> delivered, List<String> usersAfter) {
  }

  private final Map<String, List<String>> sockets = new LinkedHashMap<>();
  private final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
  private final Duration sendTime;

  /** Users {@code user-1 .. user-n}, each socket's send taking {@code sendTime} (the book's 1 s). */
  public BroadcastRace(int users, Duration sendTime) {
    for (int i = 1; i <= users; i++) {
      sockets.put("user-" + i, new ArrayList<>());
    }
    this.sendTime = sendTime;
  }

  /**
   * Broadcasts from {@code broadcaster} and, half a send later, disconnects {@code leaving} from
   * {@code leaver}; each side takes its lock first when it has one.
   */
  public Future<Result> run(Vertx broadcaster, Lock broadcastLock, Vertx leaver, Lock leaveLock, String leaving) {
    Future<Void> broadcast = guarded(broadcastLock, () -> broadcast(broadcaster, "Hello!"));
    Future<Void> leave = leaver.timer(Math.max(1, sendTime.toMillis() / 2))
      .compose(t -> guarded(leaveLock, () -> {
        sockets.remove(leaving);
        return Future.succeededFuture();
      }));
    return Future.join(broadcast, leave).transform(done -> Future.succeededFuture(new Result(
      broadcast.failed() ? broadcast.cause().getClass().getSimpleName() : null,
      List.copyOf(delivered), List.copyOf(sockets.keySet()))));
  }

  private static Future<Void> guarded(Lock lock, java.util.function.Supplier<Future<Void>> action) {
    return lock == null ? action.get() : lock.withLock(Duration.ofSeconds(30), action);
  }

  /** {@code for user, socket in sockets.items(): await socket.send(message)}, one at a time. */
  private Future<Void> broadcast(Vertx vertx, String message) {
    return sendEach(vertx, sockets.entrySet().iterator(), message);
  }

  private Future<Void> sendEach(Vertx vertx, Iterator<Map.Entry<String, List<String>>> users, String message) {
    if (!users.hasNext()) {
      return Future.succeededFuture();
    }
    Map.Entry<String, List<String>> user;
    try {
      user = users.next();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return vertx.timer(Math.max(1, sendTime.toMillis())).compose(sent -> {
      user.getValue().add(message);
      delivered.add(user.getKey());
      return sendEach(vertx, users, message);
    });
  }
}
