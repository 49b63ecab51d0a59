package org.concurrencylab.sync;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.concurrencylab.bus.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The primitives' state for the whole cluster. Each document lives in the cluster-wide async map
 * {@code lab.sync}; an update reads it, applies the change and writes it back with compare-and-set
 * ({@code replaceIfPresent}), trying again only when another node wrote in between. Updates from this node
 * to one document go one batch at a time (all changes queued meanwhile are applied in one write), so a
 * thousand local waiters cost a few round trips, not a thousand racing ones. Waiters on other nodes are woken
 * by a bus message to their node's address: nothing polls.
 *
 * <p>When Hazelcast reports that a member left, every document forgets that node: its permits go to the next
 * waiters and its waits are dropped. Every surviving node does this; the updates are idempotent.
 */
final class ClusterStateStore extends StateStore {

  private static final Logger log = LoggerFactory.getLogger(ClusterStateStore.class);
  private static final String MAP = "lab.sync";
  private static final int MAX_ATTEMPTS = 100;

  private final String node;
  private final String address;
  private final Map<String, Line> lines = new ConcurrentHashMap<>();
  private AsyncMap<String, JsonObject> documents;
  private MessageConsumer<JsonObject> wakeConsumer;
  private Runnable stopWatching = () -> { };

  /** The updates of this node to one document, written one batch at a time. */
  private static final class Line {
    final ArrayDeque<Update<?>> pending = new ArrayDeque<>();
    boolean writing;
  }

  /** One change; {@code initial} null means the change needs no document of its own (a reclaim). */
  private record Update<R>(JsonObject initial, Function<JsonObject, Outcome<R>> change, Promise<R> promise) {
  }

  private ClusterStateStore(Vertx vertx, String node) {
    super(vertx);
    this.node = node;
    this.address = "lab.sync.wake." + node + "." + UUID.randomUUID();
  }

  static Future<ClusterStateStore> start(Vertx vertx) {
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    ClusterStateStore store = new ClusterStateStore(vertx, manager.getNodeId());
    return vertx.sharedData().<String, JsonObject>getClusterWideMap(MAP)
      .compose(map -> {
        store.documents = map;
        store.wakeConsumer = vertx.eventBus().consumer(store.address,
          message -> store.waiters.wake(message.body().getString("t")));
        store.watchMembers(manager);
        return store.wakeConsumer.completion();
      })
      .map(store);
  }

  @Override
  String node() {
    return node;
  }

  @Override
  String wakeAddress() {
    return address;
  }

  @Override
  String scope() {
    return "cluster";
  }

  @Override
  <R> Future<R> update(String key, JsonObject initial, Function<JsonObject, Outcome<R>> change) {
    Update<R> update = new Update<>(initial, change, Promise.promise());
    Line line = lines.computeIfAbsent(key, k -> new Line());
    synchronized (line) {
      line.pending.add(update);
      if (line.writing) {
        return update.promise().future();
      }
      line.writing = true;
    }
    writeNextBatch(key, line);
    return update.promise().future();
  }

  @Override
  Future<Void> remove(String key) {
    lines.remove(key);
    return documents.remove(key).mapEmpty();
  }

  @Override
  Future<JsonObject> read(String key, JsonObject initial) {
    return documents.get(key).map(found -> found == null ? initial.copy() : found);
  }

  private void writeNextBatch(String key, Line line) {
    List<Update<?>> batch;
    synchronized (line) {
      if (line.pending.isEmpty()) {
        line.writing = false;
        return;
      }
      batch = new ArrayList<>(line.pending);
      line.pending.clear();
    }
    attempt(key, line, batch, 1);
  }

  private void attempt(String key, Line line, List<Update<?>> batch, int attempt) {
    documents.get(key).onComplete(read -> {
      if (read.failed()) {
        finish(key, line, batch, null, read.cause());
        return;
      }
      JsonObject current = read.result();
      JsonObject initial = batch.stream().map(Update::initial).filter(Objects::nonNull).findFirst().orElse(null);
      if (current == null && initial == null) {
        finish(key, line, batch, new ArrayList<>(Collections.nCopies(batch.size(), Outcome.of(null))), null);
        return; // only reclaims of a document removed meanwhile: nothing to do, nothing to create
      }
      JsonObject next = current == null ? initial.copy() : current.copy();
      List<Object> outcomes = new ArrayList<>(batch.size());
      for (Update<?> update : batch) {
        JsonObject trial = next.copy();
        try {
          outcomes.add(update.change().apply(trial));
          next = trial;
        } catch (RuntimeException e) {
          outcomes.add(e); // this change is refused; the others of the batch still apply
        }
      }
      Future<Boolean> written = current == null
        ? documents.putIfAbsent(key, next).map(previous -> previous == null)
        : documents.replaceIfPresent(key, current, next);
      written.onComplete(write -> {
        if (write.succeeded() && write.result()) {
          finish(key, line, batch, outcomes, null);
        } else if (write.succeeded() && attempt < MAX_ATTEMPTS) {
          attempt(key, line, batch, attempt + 1); // another node wrote first: apply the batch to its version
        } else {
          finish(key, line, batch, null, write.failed() ? write.cause()
            : Failure.UNAVAILABLE.exception("too much contention on " + key));
        }
      });
    });
  }

  @SuppressWarnings("unchecked")
  private void finish(String key, Line line, List<Update<?>> batch, List<Object> outcomes, Throwable failure) {
    for (int i = 0; i < batch.size(); i++) {
      Promise<Object> promise = (Promise<Object>) batch.get(i).promise();
      if (failure != null) {
        promise.fail(failure);
      } else if (outcomes.get(i) instanceof RuntimeException refused) {
        promise.fail(refused);
      } else {
        Outcome<Object> outcome = (Outcome<Object>) outcomes.get(i);
        outcome.wakes().forEach(this::deliver);
        promise.complete(outcome.result());
      }
    }
    writeNextBatch(key, line);
  }

  private void deliver(Wake wake) {
    if (address.equals(wake.address())) {
      waiters.wake(wake.token());
    } else {
      // A node that died meanwhile does not answer; its share is reclaimed when the cluster notices.
      vertx.eventBus().send(wake.address(), new JsonObject().put("t", wake.token()));
    }
  }

  private void watchMembers(ClusterManager manager) {
    if (!(manager instanceof HazelcastClusterManager hazelcast)) {
      log.warn("cluster manager {} is not Hazelcast: permits of nodes that leave are not reclaimed", manager);
      return;
    }
    MembershipListener listener = new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String left = event.getMember().getAttribute("__vertx.nodeId");
        reclaim(left != null ? left : event.getMember().getUuid().toString());
      }
    };
    UUID registration = hazelcast.getHazelcastInstance().getCluster().addMembershipListener(listener);
    stopWatching = () -> hazelcast.getHazelcastInstance().getCluster().removeMembershipListener(registration);
  }

  /** Hands back what node {@code left} held or waited for, in every document. */
  Future<Void> reclaim(String left) {
    log.info("node {} left the cluster: handing back its locks and permits", left);
    return documents.keys().compose(keys -> {
      List<Future<?>> updates = new ArrayList<>();
      for (String key : keys) {
        updates.add(update(key, null, state -> {
          if (state.containsKey("held")) {
            return new Outcome<>(null, SharedSemaphore.reclaim(state, left));
          }
          SharedSemaphore.reclaim(state, left); // drops the waits only: no "held" in events and conditions
          return Outcome.of(null);
        }));
      }
      return Future.join(updates).<Void>mapEmpty();
    }).onFailure(failure -> log.warn("could not reclaim what node {} held", left, failure));
  }

  @Override
  Future<Void> close() {
    stopWatching.run();
    return wakeConsumer == null ? Future.succeededFuture() : wakeConsumer.unregister();
  }
}
