package org.concurrencylab.app;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Members;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * This node's part of {@link Members}: it announces the node on {@code lab.members.beat} every second, listens
 * to the other nodes' announcements, and answers {@code lab.members} with every node heard from within
 * {@link Members#TTL_MS}. A node killed with {@code kill -9} thus disappears from every view within a few
 * seconds; one that stops in order announces that it leaves and disappears at once.
 *
 * <p>Heartbeats on the public bus were chosen over the cluster manager's membership: they work the same
 * standalone and clustered, with any cluster manager, and they describe a lab node (its services), not a
 * Hazelcast member. (Vert.x also hands its node-left notification to a single listener, its HA manager.)
 */
final class MemberRegistry extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(MemberRegistry.class);

  private final String node;
  private final List<String> services;
  private final List<String> knownServices;
  private final String host;
  private final long startedAt = System.currentTimeMillis();
  /** Every node heard from (this one included), by name. */
  private final Map<String, Heard> members = new HashMap<>();
  private long timer = -1;
  private MessageConsumer<JsonObject> beats;

  MemberRegistry(String node, List<String> services, List<String> knownServices, String host) {
    this.node = node;
    this.services = List.copyOf(services);
    this.knownServices = List.copyOf(knownServices);
    this.host = host;
  }

  @Override
  public Future<?> start() {
    beats = vertx.eventBus().consumer(Members.BEAT, message -> heard(message.body()));
    return Future.all(
        beats.completion(),
        Bus.serve(vertx, Members.ADDRESS, message -> Future.succeededFuture(reply())))
      .onSuccess(v -> {
        beat(false);
        timer = vertx.setPeriodic(Members.BEAT_MS, id -> beat(false));
      });
  }

  private void beat(boolean leaving) {
    JsonObject beat = new JsonObject()
      .put("node", node)
      .put("services", new JsonArray(services))
      .put("host", host)
      .put("clustered", vertx.isClustered())
      .put("started_at", startedAt);
    if (leaving) {
      beat.put("leaving", true);
    }
    vertx.eventBus().publish(Members.BEAT, beat);
  }

  private void heard(JsonObject beat) {
    String from = beat.getString("node");
    if (from == null) {
      return;
    }
    if (beat.getBoolean("leaving", false)) {
      if (members.remove(from) != null && !from.equals(node)) {
        log.info("node {} left", from);
      }
      return;
    }
    Heard previous = members.put(from, new Heard(beat, System.nanoTime()));
    if (previous == null && !from.equals(node)) {
      log.info("node {} joined ({})", from, String.join(", ", Members.services(beat)));
      beat(false); // a newcomer learns of this node now rather than at the next beat
    }
  }

  private JsonObject reply() {
    long now = System.nanoTime();
    JsonArray list = new JsonArray();
    members.values().removeIf(heard -> {
      boolean gone = now - heard.atNanos > TimeUnit.MILLISECONDS.toNanos(Members.TTL_MS);
      if (gone) {
        log.info("node {} is gone (not heard for {} ms)", heard.beat.getString("node"), Members.TTL_MS);
      }
      return gone;
    });
    members.values().stream()
      .sorted(Comparator.comparing(heard -> heard.beat.getString("node")))
      .forEach(heard -> list.add(heard.beat.copy()
        .put("heard_ms_ago", TimeUnit.NANOSECONDS.toMillis(now - heard.atNanos))));
    return new JsonObject()
      .put("node", node)
      .put("services", new JsonArray(knownServices))
      .put("members", list);
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (beats == null) {
      return Future.succeededFuture();
    }
    // Stop listening first: this node's own leaving beat would otherwise reach a consumer being unregistered.
    return beats.unregister().onComplete(done -> beat(true));
  }

  private record Heard(JsonObject beat, long atNanos) {
  }
}
