package org.concurrencylab.testsupport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The log lines of some loggers while a test runs, with their MDC, to assert on what a user reads in the log.
 * Open it before the action and close it after; it adds to the normal output, it does not replace it.
 */
public final class LogCapture implements AutoCloseable {

  /** One log line: its logger, message and MDC values. */
  public record Line(String logger, String message, Map<String, String> mdc) {
    public String mdc(String key) {
      return mdc.get(key);
    }
  }

  private final List<Logger> loggers = new ArrayList<>();
  private final List<Line> lines = new ArrayList<>();
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      synchronized (lines) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        lines.add(new Line(event.getLoggerName(), event.getFormattedMessage(), mdc == null ? Map.of() : Map.copyOf(mdc)));
      }
    }
  };

  private LogCapture(List<String> names) {
    appender.start();
    for (String name : names) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      appender.setContext(logger.getLoggerContext());
      logger.addAppender(appender);
      loggers.add(logger);
    }
  }

  /** Captures what the named loggers (and their children) log. */
  public static LogCapture of(String... loggerNames) {
    return new LogCapture(List.of(loggerNames));
  }

  public List<Line> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The lines whose message matches. */
  public List<Line> matching(Predicate<String> message) {
    return lines().stream().filter(line -> message.test(line.message())).toList();
  }

  @Override
  public void close() {
    loggers.forEach(logger -> logger.detachAppender(appender));
    appender.stop();
  }
}
