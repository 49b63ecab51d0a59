package org.concurrencylab.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.Match;
import io.vertx.micrometer.MatchType;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.EnumSet;
import java.util.List;

/**
 * How the lab's Vert.x is measured. Metrics are chosen when Vert.x is built ({@code VertxOptions}), not later:
 * the launcher passes {@link #options()}, and so can a test that builds its own Vert.x.
 */
public final class LabMetrics {

  /**
   * Bus addresses made per object (a job, a child process, a load test, a reply): each family is counted under
   * one name, so the number of time series stays bounded however many objects come and go.
   */
  private static final List<Match> ADDRESS_FAMILIES = List.of(
    family("__vertx\\.reply\\..*", "__vertx.reply.*"),
    family("loadtest\\.progress\\..+", "loadtest.progress.*"),
    family("mapreduce\\.job\\..+", "mapreduce.job.*"),
    family("process\\.(stdin|kill|output|events)\\..+", "process.<verb>.*"),
    family("[a-z-]+\\.status\\..+", "<service>.status.<node>"),
    family("chat\\.session\\..+", "chat.session.*"));

  private LabMetrics() {
  }

  /**
   * Micrometer with a Prometheus registry, labelled by what a person can act on: event-bus address (families
   * collapsed), HTTP method, route and status code, pool type and name. Not by remote address or raw path,
   * which would make a series per client or per order id.
   */
  public static MicrometerMetricsOptions options() {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
      .setEnabled(true)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
      .setJvmMetricsEnabled(true)
      .setLabels(EnumSet.of(Label.EB_ADDRESS, Label.EB_SIDE, Label.EB_FAILURE, Label.HTTP_METHOD, Label.HTTP_ROUTE,
        Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME, Label.NAMESPACE));
    ADDRESS_FAMILIES.forEach(options::addLabelMatch);
    return options;
  }

  /** The Prometheus registry of a Vert.x built with {@link #options()}, or null when it has no metrics. */
  public static PrometheusMeterRegistry registry(Vertx vertx) {
    if (!vertx.isMetricsEnabled()) {
      return null;
    }
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry instanceof PrometheusMeterRegistry prometheus ? prometheus : null;
  }

  private static Match family(String regex, String alias) {
    return new Match().setDomain(MetricsDomain.EVENT_BUS).setLabel(Label.EB_ADDRESS.toString())
      .setType(MatchType.REGEX).setValue(regex).setAlias(alias);
  }
}
