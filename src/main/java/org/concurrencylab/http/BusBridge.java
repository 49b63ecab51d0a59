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
 * need no permit.
 */
final class BusBridge {

  /** Addresses a browser may send to (regular expressions). */
  static final List<String> INBOUND = List.of(
    "[a-z-]+\\.status",
    "loadtest\\.start");

  /** Addresses a browser may listen to (regular expressions). */
  static final List<String> OUTBOUND = List.of(
    "loadtest\\.progress\\.[A-Za-z0-9_-]+");

  private BusBridge() {
  }

  static void mount(Router router, Vertx vertx) {
    SockJSBridgeOptions options = new SockJSBridgeOptions();
    INBOUND.forEach(regex -> options.addInboundPermitted(new PermittedOptions().setAddressRegex(regex)));
    OUTBOUND.forEach(regex -> options.addOutboundPermitted(new PermittedOptions().setAddressRegex(regex)));
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(options));
  }
}
