package org.concurrencylab.trace;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.internal.ContextInternal;
import io.vertx.ext.web.RoutingContext;

import java.security.SecureRandom;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.regex.Pattern;

/**
 * The request id of the work running now, and where it is set and carried:
 * <ul>
 *   <li>kept as a local of the current Vert.x context. Vert.x gives each HTTP request and each bus message
 *       a duplicated context of its own, and every callback that work schedules (a Future's continuation, a
 *       timer, a reply, blocking code) runs on that same context: the id follows the work, not the thread;</li>
 *   <li>entered by {@link #http} (the {@code X-Request-Id} header, or a new id, echoed in the response),
 *       by a bus message (its {@value #HEADER} header, or a new id), or by a server that reads lines or
 *       frames, with {@link #runInNewScope} for each;</li>
 *   <li>carried on every bus message sent while it is set (header {@value #HEADER}), so the consumer, on
 *       this node or another, runs under the same id ({@link #install});</li>
 *   <li>shown in every log line as the MDC key {@value #MDC_KEY}.</li>
 * </ul>
 */
public final class RequestIds {

  /** The bus header and the HTTP header that carry the id. */
  public static final String HEADER = "x-request-id";
  /** The SLF4J MDC key the id is shown under ({@code %X{requestId}} in the log pattern). */
  public static final String MDC_KEY = "requestId";

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final String REPLY_PREFIX = "__vertx.reply.";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<Vertx> INSTALLED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private RequestIds() {
  }

  /**
   * Makes a Vert.x instance carry request ids over its bus and show them in log lines. Idempotent; the lab
   * calls it for every node it starts.
   */
  public static void install(Vertx vertx) {
    RequestIdLogging.install();
    if (!INSTALLED.add(vertx)) {
      return;
    }
    EventBus bus = vertx.eventBus();
    bus.addOutboundInterceptor(RequestIds::stampOutbound);
    bus.addInboundInterceptor(RequestIds::adoptInbound);
  }

  /** The request id of the work running now, or null outside any request. */
  public static String current() {
    Context context = Vertx.currentContext();
    return context == null ? null : context.getLocal(TraceLocals.REQUEST_ID);
  }

  /** A new id: 16 hex digits. */
  public static String newId() {
    String hex = Long.toHexString(RANDOM.nextLong());
    return "0".repeat(16 - hex.length()) + hex;
  }

  /** Whether a caller-given id is acceptable: 1-64 letters, digits, {@code . _ : -}. */
  public static boolean valid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  /**
   * Runs {@code handler} now in a new scope ({@link Scopes#fork()}) carrying {@code id}: the scope of one unit
   * of work that Vert.x does not scope itself, such as a line read from a TCP connection (all of a
   * connection's callbacks share one context). What the handler starts inherits the id; the connection does not.
   */
  public static <T> void runInNewScope(String id, T event, Handler<T> handler) {
    Context scope = Scopes.fork();
    scope.putLocal(TraceLocals.REQUEST_ID, id);
    Scopes.run(scope, event, handler);
  }

  /**
   * A Vert.x Web handler for the front of a router: takes the request's {@code X-Request-Id} when valid
   * (a new id otherwise), keeps it for everything the request does, and echoes it in the response.
   */
  public static void http(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = valid(given) ? given : newId();
    Context context = Vertx.currentContext();
    if (context != null && ((ContextInternal) context).isDuplicate()) {
      context.putLocal(TraceLocals.REQUEST_ID, id);
    }
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  private static void stampOutbound(DeliveryContext<Object> delivery) {
    String id = current();
    if (id != null && !delivery.message().headers().contains(HEADER)) {
      delivery.message().headers().add(HEADER, id);
    }
    delivery.next();
  }

  /**
   * A message arrives on a fresh duplicated context (one per delivery): it takes the id the message carries,
   * or starts a new one, since a message from outside any request is itself a request entering. Replies are
   * left alone: they run on the requester's context, which already has its id.
   */
  private static void adoptInbound(DeliveryContext<Object> delivery) {
    ContextInternal context = ContextInternal.current();
    if (context != null && context.isDuplicate() && context.getLocal(TraceLocals.REQUEST_ID) == null
      && !delivery.message().address().startsWith(REPLY_PREFIX)) {
      String carried = delivery.message().headers().get(HEADER);
      context.putLocal(TraceLocals.REQUEST_ID, valid(carried) ? carried : newId());
    }
    delivery.next();
  }
}
