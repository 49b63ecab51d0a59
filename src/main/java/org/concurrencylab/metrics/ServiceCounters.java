package org.concurrencylab.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Members;
import org.concurrencylab.bus.ServiceStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lab's own counters as Micrometer meters, one per node: read from the numbers every service already keeps
 * for {@code <service>.status}, so no service counts twice or knows about metrics. {@link #refresh} asks each
 * member node for the status of the services in {@link #SOURCES} ({@code <service>.status.<node>}) and updates
 * the meters; a node that left, or a number a service no longer reports, loses its meter.
 */
final class ServiceCounters {

  static final long STATUS_TIMEOUT_MS = 1_000;

  /** What is exported: a meter name, counter or gauge, the service and the path of the number in its stats. */
  record Source(String meter, boolean counter, String service, String path, String help, Tags tags) {
  }

  static final List<Source> SOURCES = List.of(
    counter("lab.echo.bytes", "echo", "tcp.bytes_echoed", "bytes echoed", Tags.of("server", "tcp")),
    counter("lab.echo.bytes", "echo", "selector.bytes_echoed", "bytes echoed", Tags.of("server", "selector")),
    gauge("lab.echo.connections", "echo", "tcp.open_connections", "open echo connections", Tags.of("server", "tcp")),
    gauge("lab.echo.connections", "echo", "selector.open_connections", "open echo connections",
      Tags.of("server", "selector")),
    counter("lab.chat.deliveries", "chat", "deliveries", "chat lines delivered to users", Tags.empty()),
    counter("lab.chat.lines", "chat", "lines_in", "chat lines said", Tags.empty()),
    gauge("lab.chat.users", "chat", "here", "chat users connected to the node", Tags.empty()),
    counter("lab.orders.accepted", "queue", "orders.accepted", "orders placed", Tags.empty()),
    counter("lab.orders.completed", "queue", "orders.completed", "orders completed", Tags.empty()),
    gauge("lab.orders.waiting", "queue", "orders.waiting", "orders waiting for a worker", Tags.empty()),
    gauge("lab.orders.working", "queue", "orders.working", "orders in work", Tags.empty()),
    counter("lab.mapreduce.lines", "mapreduce", "linesMapped", "lines counted by map workers", Tags.empty()),
    gauge("lab.mapreduce.jobs.running", "mapreduce", "jobsRunning", "word-count jobs running", Tags.empty()),
    counter("lab.fetch.urls", "fetch", "urls", "URLs fetched by fetch.run calls", Tags.empty()),
    gauge("lab.processes.running", "process", "running", "child processes running", Tags.empty()));

  /** One set of meters per registry: several HTTP servers (or test nodes) in one JVM share it. */
  private static final Map<MeterRegistry, ServiceCounters> BY_REGISTRY = new ConcurrentHashMap<>();

  private final MeterRegistry registry;
  private final Map<Meter.Id, Value> values = new HashMap<>();

  private ServiceCounters(MeterRegistry registry) {
    this.registry = registry;
  }

  static ServiceCounters of(MeterRegistry registry) {
    return BY_REGISTRY.computeIfAbsent(registry, ServiceCounters::new);
  }

  /** Reads every member's numbers and updates the meters; completes (never fails) when all have answered. */
  Future<Void> refresh(Vertx vertx) {
    return Members.list(vertx, STATUS_TIMEOUT_MS)
      .compose(members -> {
        List<Future<Reading>> readings = new ArrayList<>();
        for (JsonObject member : members) {
          String node = member.getString("node");
          List<String> services = Members.services(member);
          SOURCES.stream().map(Source::service).distinct().filter(services::contains).forEach(service ->
            readings.add(Bus.<JsonObject>request(vertx, ServiceStatus.address(service, node), new JsonObject(),
                STATUS_TIMEOUT_MS)
              .map(status -> new Reading(service, node, status.getJsonObject("stats", new JsonObject())))));
        }
        return Future.join(readings).transform(done -> {
          update(readings.stream().filter(Future::succeeded).map(Future::result).toList());
          return Future.<Void>succeededFuture();
        });
      })
      .recover(noMembers -> {
        update(List.of());
        return Future.succeededFuture();
      });
  }

  private synchronized void update(List<Reading> readings) {
    Set<Meter.Id> seen = new HashSet<>();
    for (Reading reading : readings) {
      for (Source source : SOURCES) {
        if (!source.service().equals(reading.service())) {
          continue;
        }
        Object number = valueAt(reading.stats(), source.path());
        if (!(number instanceof Number n)) {
          continue;
        }
        Tags tags = source.tags().and("node", reading.node());
        Meter.Id id = idOf(source, tags);
        Value value = values.get(id);
        if (value == null) {
          value = new Value();
          register(source, tags, value);
          values.put(id, value);
        }
        value.set(n.doubleValue());
        seen.add(id);
      }
    }
    values.keySet().removeIf(id -> {
      if (seen.contains(id)) {
        return false;
      }
      registry.remove(id);
      return true;
    });
  }

  private void register(Source source, Tags tags, Value value) {
    if (source.counter()) {
      FunctionCounter.builder(source.meter(), value, Value::get).tags(tags).description(source.help())
        .register(registry);
    } else {
      Gauge.builder(source.meter(), value, Value::get).tags(tags).description(source.help())
        .strongReference(true).register(registry);
    }
  }

  private static Meter.Id idOf(Source source, Tags tags) {
    return new Meter.Id(source.meter(), tags, null, source.help(),
      source.counter() ? Meter.Type.COUNTER : Meter.Type.GAUGE);
  }

  /** The value at a dotted path of a JSON object ({@code tcp.bytes_echoed}), or null. */
  static Object valueAt(JsonObject json, String path) {
    Object current = json;
    for (String part : path.split("\\.")) {
      if (!(current instanceof JsonObject object)) {
        return null;
      }
      current = object.getValue(part);
    }
    return current;
  }

  private static Source counter(String meter, String service, String path, String help, Tags tags) {
    return new Source(meter, true, service, path, help, tags);
  }

  private static Source gauge(String meter, String service, String path, String help, Tags tags) {
    return new Source(meter, false, service, path, help, tags);
  }

  private record Reading(String service, String node, JsonObject stats) {
  }

  /** The last value read for one meter. */
  private static final class Value {
    private volatile double value;

    double get() {
      return value;
    }

    void set(double value) {
      this.value = value;
    }
  }
}
