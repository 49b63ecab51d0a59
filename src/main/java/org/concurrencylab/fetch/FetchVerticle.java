package org.concurrencylab.fetch;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.api.AllowedHosts;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.ServiceStatus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fetch service: {@code fetch.run} fetches many URLs concurrently ({@link FetchRun}) and answers with
 * every URL's result and the totals; {@code fetch.cancel} (published, so it reaches whichever instance runs
 * the call) stops a call whose caller went away. Each call gets an HTTP client of its own whose pool holds
 * {@code limit} connections, closed when the call ends.
 */
public final class FetchVerticle extends VerticleBase {

  public static final String SERVICE = "fetch";
  public static final String RUN = "fetch.run";
  public static final String CANCEL = "fetch.cancel";

  private final FetchStats stats;
  private final boolean first;
  private final String node;
  // The runs in progress, by id: holds each run (and so its HTTP client) until it ends.
  private final Map<String, FetchRun> running = new HashMap<>();
  private AllowedHosts allowed;

  FetchVerticle(FetchStats stats, boolean first, String node) {
    this.stats = stats;
    this.first = first;
    this.node = node;
  }

  @Override
  public Future<?> start() {
    allowed = AllowedHosts.fromConfig(config());
    Future<Void> run = Bus.serve(vertx, RUN, this::run);
    Future<Void> cancel = vertx.eventBus().<JsonObject>consumer(CANCEL, this::cancel).completion();
    Future<Void> status = first
      ? ServiceStatus.serve(vertx, SERVICE, node, new JsonArray(), stats::toJson)
      : Future.succeededFuture();
    return Future.all(run, cancel, status);
  }

  private Future<JsonObject> run(Message<Object> message) {
    FetchRequest call = FetchRequest.parse(Bus.jsonBody(message), allowed);
    if (running.containsKey(call.id())) {
      throw org.concurrencylab.bus.Failure.CONFLICT.exception("a call with id " + call.id() + " is running");
    }
    HttpClient client = vertx.httpClientBuilder()
      .with(new HttpClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, call.timeoutMs()))
        .setTcpNoDelay(true)
        .setKeepAlive(true))
      .with(new PoolOptions().setHttp1MaxSize(call.limit()))
      .build();
    FetchRun run = new FetchRun(vertx, call, client, call.publish() == null ? null
      : result -> vertx.eventBus().publish(call.publish(), result.copy().put("id", call.id())));
    running.put(call.id(), run);
    stats.calls.incrementAndGet();
    stats.activeCalls.incrementAndGet();
    return run.start().onComplete(reply -> {
      running.remove(call.id());
      stats.activeCalls.decrementAndGet();
      stats.count(reply.getJsonObject("totals"));
    }, failure -> {
      running.remove(call.id());
      stats.activeCalls.decrementAndGet();
    });
  }

  /** Undeploying ends the calls in progress: their callers get a reply (with {@code cancelled} URLs), not a timeout. */
  @Override
  public Future<?> stop() {
    List.copyOf(running.values()).forEach(run -> run.cancel("the fetch service is stopping"));
    return Future.succeededFuture();
  }

  private void cancel(Message<JsonObject> message) {
    JsonObject body = message.body();
    FetchRun run = body == null ? null : running.get(body.getString("id"));
    if (run != null) {
      run.cancel(body.getString("reason", "the caller cancelled the call"));
    }
  }
}
