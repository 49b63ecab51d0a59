package org.concurrencylab.loop;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

import java.util.List;

/** The {@code loop} service (chapter 14). */
public final class LoopModule implements ServiceModule {

  @Override
  public String name() {
    return "loop";
  }

  @Override
  public String summary() {
    return "ch14 context variables (a line logger, request ids across nodes), yielding, event-loop implementations";
  }

  @Override
  public Future<?> deploy(ModuleContext context) {
    return context.deploy(() -> new LoopVerticle(context.node()));
  }

  /**
   * {@code POST /loop/record} {@code {line}}: records a line through the bus and answers {@code {requestId, node}};
   * the request id is the request's {@code X-Request-Id} (or a new one), the same on every node the line visits.
   */
  @Override
  public void routes(Router router, ModuleContext context) {
    router.post("/loop/record").handler(BodyHandler.create().setBodyLimit(8_192)).handler(ctx -> {
      JsonObject body;
      try {
        body = ctx.body().asJsonObject();
      } catch (RuntimeException e) {
        body = null;
      }
      if (body == null || !(body.getValue("line") instanceof String line)) {
        HttpResponses.error(ctx, Failure.BAD_REQUEST, "the body must be {\"line\": \"...\"}");
        return;
      }
      HttpResponses.reply(ctx, Bus.request(context.vertx(), RecordVerticle.ADDRESS,
        new JsonObject().put("line", line).put("peer", ctx.request().remoteAddress().toString())));
    });
  }

  @Override
  public List<Demo> demos() {
    return List.of(new ContextDemo(), new YieldDemo());
  }
}
