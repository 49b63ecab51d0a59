package org.concurrencylab.measure;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Catches Vert.x's blocked-thread checker while a demo blocks an event loop on purpose, so that the demo
 * can show what the checker said ("the event loop was blocked for 2,345 ms") instead of the warning
 * reaching the log. Outside such demos a blocked-thread warning is a bug, and CI looks for it in the test
 * logs; reports caught here are kept out of them.
 *
 * <p>Only one watch should be open at a time in a JVM: the checker's logger is global.
 */
public final class BlockedThreadWatch implements AutoCloseable {

  /** The logger Vert.x 5's checker writes to. */
  static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";
  private static final Pattern REPORT = Pattern.compile("Thread (.+?) has been blocked for (\\d+) ms");

  /** One report of the checker: which thread, and for how long it had been blocked when it looked. */
  public record Report(String thread, long blockedMillis) {
  }

  private final Logger logger;
  private final boolean additive;
  private final List<Report> reports = new ArrayList<>();
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      Matcher m = REPORT.matcher(event.getFormattedMessage());
      if (m.find()) {
        synchronized (reports) {
          reports.add(new Report(m.group(1).trim(), Long.parseLong(m.group(2))));
        }
      }
    }
  };

  private BlockedThreadWatch() {
    logger = (Logger) LoggerFactory.getLogger(CHECKER_LOGGER);
    additive = logger.isAdditive();
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
    logger.setAdditive(false);
  }

  /** Starts catching the checker's reports. */
  public static BlockedThreadWatch open() {
    return new BlockedThreadWatch();
  }

  /** The reports caught so far. */
  public List<Report> reports() {
    synchronized (reports) {
      return List.copyOf(reports);
    }
  }

  /** The longest blocked time reported, 0 when the checker said nothing. */
  public long longestBlockMillis() {
    return reports().stream().mapToLong(Report::blockedMillis).max().orElse(0);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setAdditive(additive);
    appender.stop();
  }
}
