package org.concurrencylab.http;

import io.vertx.core.Vertx;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;

import java.util.List;

/**
 * The SockJS event-bus bridge at {@code /eventbus} that the web UI talks through. It permits only the
 * addresses listed here: these two lists are the one place to widen what a browser may reach. Replies
 * need no permit. Anything else is refused with an {@code err} frame ({@code access_denied}) and never
 * reaches the bus: no address that changes data or reads files (orders, products, {@code mapreduce.map}) is
 * here.
 */
final class BusBridge {

  /** Addresses a browser may send to (regular expressions). */
  static final List<String> INBOUND = List.of(
    "[a-z-]+\\.status",
    "loadtest\\.start",
    // The dashboard (index.html): each service on each node, the members, a job's details.
    "[a-z-]+\\.status\\.[A-Za-z0-9_.:-]+",
    "lab\\.members",
    "mapreduce\\.job\\.[A-Za-z0-9_-]+");

  /** Addresses a browser may listen to (regular expressions). */
  static final List<String> OUTBOUND = List.of(
    "loadtest\\.progress\\.[A-Za-z0-9_-]+",
    // The dashboard: word-count jobs' progress.
    "mapreduce\\.progress");

  private BusBridge() {
  }

  static void mount(Router router, Vertx vertx) {
    SockJSBridgeOptions options = new SockJSBridgeOptions();
    INBOUND.forEach(regex -> options.addInboundPermitted(new PermittedOptions().setAddressRegex(regex)));
    OUTBOUND.forEach(regex -> options.addOutboundPermitted(new PermittedOptions().setAddressRegex(regex)));
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(options));
  }
}
