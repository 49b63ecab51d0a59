package org.concurrencylab.trace;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Puts the current Vert.x context's request id into the SLF4J MDC just before each log call on a Vert.x
 * thread, so {@code %X{requestId}} in the log pattern shows it without any code setting the MDC. The MDC is a
 * thread-local and an event loop runs many requests' callbacks in turn: the context, not the thread, knows
 * which request a callback belongs to. Threads that are not Vert.x's keep whatever MDC their code sets.
 */
final class RequestIdLogging extends TurboFilter {

  private RequestIdLogging() {
  }

  /** Adds the filter to logback once (no-op when SLF4J is bound to something else). */
  static synchronized void install() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext logback)) {
      return;
    }
    if (logback.getTurboFilterList().stream().noneMatch(RequestIdLogging.class::isInstance)) {
      RequestIdLogging filter = new RequestIdLogging();
      filter.setName("request-id-mdc");
      filter.setContext(logback);
      filter.start();
      logback.addTurboFilter(filter);
    }
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    Context context = Vertx.currentContext();
    if (context == null && !Context.isOnVertxThread()) {
      return FilterReply.NEUTRAL;
    }
    String id = context == null ? null : context.getLocal(TraceLocals.REQUEST_ID);
    String shown = MDC.get(RequestIds.MDC_KEY);
    if (id == null) {
      if (shown != null) {
        MDC.remove(RequestIds.MDC_KEY);
      }
    } else if (!id.equals(shown)) {
      MDC.put(RequestIds.MDC_KEY, id);
    }
    return FilterReply.NEUTRAL;
  }
}
