package org.concurrencylab.measure;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * A latency histogram (HdrHistogram, 3 significant digits, 1 µs to 1 h) safe to record into from several
 * threads. Every load client of the lab reports through it, so their percentiles mean the same thing.
 */
public final class Latencies {

  private static final long MAX_NANOS = TimeUnit.HOURS.toNanos(1);

  private final Histogram histogram = new ConcurrentHistogram(1_000, MAX_NANOS, 3);

  /** Records one latency in nanoseconds (clamped to the histogram's range). */
  public void recordNanos(long nanos) {
    histogram.recordValue(Math.max(1_000, Math.min(nanos, MAX_NANOS)));
  }

  /** Records the time since {@code startNanos} (a {@link System#nanoTime()} reading). */
  public void recordSince(long startNanos) {
    recordNanos(System.nanoTime() - startNanos);
  }

  /** Adds another histogram's values to this one. */
  public void add(Latencies other) {
    histogram.add(other.histogram);
  }

  public long count() {
    return histogram.getTotalCount();
  }

  /** The latency at {@code percentile} (0-100) in milliseconds. */
  public double percentileMillis(double percentile) {
    return histogram.getValueAtPercentile(percentile) / 1e6;
  }

  public double maxMillis() {
    return histogram.getMaxValue() / 1e6;
  }

  public double meanMillis() {
    return histogram.getMean() / 1e6;
  }

  /** {@code {count, mean_ms, p50_ms, p90_ms, p99_ms, max_ms}}, rounded to microseconds. */
  public JsonObject summary() {
    return new JsonObject()
      .put("count", count())
      .put("mean_ms", round(meanMillis()))
      .put("p50_ms", round(percentileMillis(50)))
      .put("p90_ms", round(percentileMillis(90)))
      .put("p99_ms", round(percentileMillis(99)))
      .put("max_ms", round(maxMillis()));
  }

  /**
   * The distribution as {@code buckets} log-spaced bins between the smallest and largest value:
   * {@code [{up_to_ms, count}]}, for a histogram a person can read.
   */
  public JsonArray bins(int buckets) {
    JsonArray bins = new JsonArray();
    if (count() == 0) {
      return bins;
    }
    double low = Math.max(histogram.getMinValue(), 1_000);
    double high = Math.max(histogram.getMaxValue(), low * 1.0001);
    double ratio = Math.pow(high / low, 1.0 / buckets);
    long previous = 0;
    for (int i = 1; i <= buckets; i++) {
      long upTo = i == buckets ? histogram.getMaxValue() : (long) (low * Math.pow(ratio, i));
      long counted = histogram.getCountBetweenValues(previous, upTo) ;
      bins.add(new JsonObject().put("up_to_ms", round(upTo / 1e6)).put("count", counted));
      previous = histogram.nextNonEquivalentValue(upTo);
    }
    return bins;
  }

  /** The bins drawn as text bars, one line each, {@code width} characters for the largest. */
  public String chart(int buckets, int width) {
    JsonArray bins = bins(buckets);
    long most = bins.stream().mapToLong(b -> ((JsonObject) b).getLong("count")).max().orElse(1);
    StringBuilder out = new StringBuilder();
    for (Object entry : bins) {
      JsonObject bin = (JsonObject) entry;
      int bar = (int) Math.round(width * bin.getLong("count") / (double) Math.max(1, most));
      out.append(String.format(java.util.Locale.ROOT, "  <= %9.3f ms %8d %s%n", bin.getDouble("up_to_ms"),
        bin.getLong("count"), "#".repeat(bar)));
    }
    return out.toString();
  }

  private static double round(double millis) {
    return Math.round(millis * 1000) / 1000.0;
  }
}
