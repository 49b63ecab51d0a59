package org.concurrencylab.basics.demo;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Listings 2.18-2.19 and debug mode: CPU work on the event loop is noticed; on workers it is not. */
class BlockedLoopDemoTest {

  private static final long MAX_MS = 100;

  @Test
  void countingOnTheLoopMakesTheTimerLateAndTheCheckerReportItOnWorkersNeither() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    root.addAppender(logged);
    Vertx vertx = Vertx.vertx();
    DemoRun run;
    try {
      // The checker reports a loop busy for over 100 ms. It cannot tell a loop that runs a task that long from one
      // whose thread the OS left waiting mid-task: at 50 ms, a starved loop on a loaded machine was reported 15 times
      // while the counts ran on workers. A count of 800 million on the loop takes several times 100 ms.
      run = DemoRun.of(new BlockedLoopDemo(), vertx,
        Map.of("n", "800000000", "second-ms", "50", "tick-ms", "20", "max-ms", String.valueOf(MAX_MS)));
    } finally {
      root.detachAppender(logged);
      Await.result(vertx.close());
    }

    JsonObject onLoop = run.claims().getJsonObject("event_loop");
    JsonArray counts = onLoop.getJsonArray("count_ms");
    double longestCount = Math.max(counts.getDouble(0), counts.getDouble(1));
    // The timer cannot fire while a count runs on its loop.
    assertThat(onLoop.getDouble("timer_late_max_ms")).isGreaterThan(longestCount * 0.5);
    // The delay(4) could not even start before both counts were done.
    assertThat(onLoop.getDouble("delay_done_at_ms"))
      .isGreaterThanOrEqualTo(counts.getDouble(0) + counts.getDouble(1) + run.claims().getLong("delay_ms") - 1);
    assertThat(onLoop.getInteger("checker_reports")).isPositive();
    assertThat(onLoop.getString("checker_thread")).contains("vert.x-eventloop-thread");
    assertThat(onLoop.getLong("checker_longest_ms")).isGreaterThanOrEqualTo(MAX_MS);

    JsonObject onWorkers = run.claims().getJsonObject("worker");
    assertThat(onWorkers.getInteger("checker_reports")).isZero();
    assertThat(onWorkers.getDouble("timer_late_max_ms")).isLessThan(onLoop.getDouble("timer_late_max_ms") / 2);
    assertThat(onWorkers.getDouble("delay_done_at_ms")).isLessThan(onLoop.getDouble("delay_done_at_ms"));

    // The demo showed the checker's report; none reached the log.
    assertThat(run.output()).contains("has been blocked for");
    assertThat(logged.list).noneMatch(event -> event.getFormattedMessage().contains("has been blocked for"));
  }
}
