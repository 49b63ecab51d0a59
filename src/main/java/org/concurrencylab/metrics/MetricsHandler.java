package org.concurrencylab.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Failure;

/**
 * {@code GET /metrics}: Prometheus' text format. Vert.x's meters are this JVM's (scrape every node that serves
 * HTTP); the {@code lab_*} counters are read, for every member node, from the services' status when scraped.
 * Without metrics (a Vert.x built without {@link LabMetrics#options()}, or {@code LAB_METRICS=false}) it
 * answers 503 saying so.
 */
public final class MetricsHandler implements Handler<RoutingContext> {

  /** Prometheus' text exposition format, which every Prometheus version reads. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  @Override
  public void handle(RoutingContext ctx) {
    PrometheusMeterRegistry registry = LabMetrics.registry(ctx.vertx());
    if (registry == null) {
      HttpResponses.error(ctx, Failure.UNAVAILABLE, "metrics are off on this node (LAB_METRICS=false)");
      return;
    }
    ServiceCounters.of(registry).refresh(ctx.vertx())
      .onComplete(done -> ctx.response().putHeader("content-type", CONTENT_TYPE).end(registry.scrape()));
  }
}
