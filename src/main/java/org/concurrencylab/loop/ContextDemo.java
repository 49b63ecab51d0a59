package org.concurrencylab.loop;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;
import org.concurrencylab.trace.RequestIds;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The book's 14.2: the line logger knows each client's address from a context variable. Two clients take
 * turns sending lines; the server's log lines (stderr) name the right peer for each, and each line runs
 * under a request id of its own, which the server's log book ({@code loop.record}) logs too.
 */
public final class ContextDemo implements Demo {

  @Override
  public String name() {
    return "context";
  }

  @Override
  public String summary() {
    return "14.2: a line logger whose context variable knows the peer; each line's request id in every log line";
  }

  @Override
  public Future<JsonObject> run(DemoContext ctx) {
    RequestIds.install(ctx.vertx());
    LineLoggerVerticle logger = new LineLoggerVerticle();
    JsonObject config = ctx.config().copy().put("loop_logger_port", ctx.intOption("port", 0));
    NetClient client = ctx.vertx().createNetClient();
    JsonArray exchanges = new JsonArray();
    return ctx.vertx().deployVerticle(new RecordVerticle("demo"), new DeploymentOptions().setConfig(config))
      .compose(id -> ctx.vertx().deployVerticle(logger, new DeploymentOptions().setConfig(config)))
      .compose(id -> {
        ctx.say("Line logger on tcp://127.0.0.1:%d. Two clients connect and take turns; the server's own log lines "
          + "(on stderr) name each line's peer, read from the connection's context variable, and its request id.",
          logger.actualPort());
        return Future.all(connect(client, logger.actualPort()), connect(client, logger.actualPort()));
      })
      .compose(connected -> {
        List<Line> clients = List.of(connected.resultAt(0), connected.resultAt(1));
        Future<Void> turns = Future.succeededFuture();
        for (int round = 1; round <= 2; round++) {
          for (int c = 0; c < clients.size(); c++) {
            Line line = clients.get(c);
            String text = "line " + round + " from client " + (c + 1);
            turns = turns.compose(v -> line.send(text).map(answer -> {
              ctx.say("  client %s sent %-22s -> server: %s", line.socket.localAddress(), "\"" + text + "\"", answer);
              exchanges.add(new JsonObject().put("client", line.socket.localAddress().toString()).put("line", text)
                .put("answer", answer));
              return null;
            }));
          }
        }
        return turns.eventually(() -> Future.all(clients.get(0).socket.close(), clients.get(1).socket.close()));
      })
      .map(v -> {
        ctx.say("Each answer's id is the [req ...] of the two server log lines for that line: the logger's and the log book's.");
        return new JsonObject().put("exchanges", exchanges);
      })
      .eventually(client::close);
  }

  private static Future<Line> connect(NetClient client, int port) {
    return client.connect(port, "127.0.0.1").map(Line::new);
  }

  /** One client connection: a line out, the server's answer line back. */
  private static final class Line {
    final NetSocket socket;
    private final ConcurrentLinkedQueue<Promise<String>> waiting = new ConcurrentLinkedQueue<>();

    Line(NetSocket socket) {
      this.socket = socket;
      socket.handler(RecordParser.newDelimited("\n", answer -> {
        Promise<String> next = waiting.poll();
        if (next != null) {
          next.complete(answer.toString());
        }
      }));
    }

    Future<String> send(String text) {
      Promise<String> answer = Promise.promise();
      waiting.add(answer);
      socket.write(text + "\n");
      return answer.future();
    }
  }
}
