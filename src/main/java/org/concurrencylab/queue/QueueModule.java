package org.concurrencylab.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.concurrencylab.bus.ServiceStatus;
import org.concurrencylab.queue.crawl.CrawlCommand;
import org.concurrencylab.queue.crawl.CrawlService;
import org.concurrencylab.queue.order.OrderDesk;
import org.concurrencylab.queue.order.OrderRoutes;
import org.concurrencylab.queue.order.OrderWorkers;
import org.concurrencylab.queue.work.WorkQueueBroker;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

import java.util.List;

/**
 * The {@code queue} service (chapter 12): the bus work queues ({@code queue.work.*}), the durable order app
 * ({@code POST /order}, {@code GET /order/{id}}, {@code queue.order.*}), the crawler ({@code crawl.start} and
 * the {@code crawl} command), and the chapter's demos and benchmark clients.
 */
public final class QueueModule implements ServiceModule {

  /** This node's order desk once deployed (its POST route then skips the bus); null on a gateway. */
  private volatile OrderDesk desk;

  @Override
  public String name() {
    return "queue";
  }

  @Override
  public String summary() {
    return "ch12 async queues, bus work queues, the durable order app and the crawler";
  }

  @Override
  public boolean needsDatabase() {
    return true;
  }

  @Override
  public Future<?> deploy(ModuleContext context) {
    WorkQueueBroker broker = new WorkQueueBroker();
    OrderDesk desk = new OrderDesk();
    OrderWorkers workers = new OrderWorkers(context.node());
    return context.deploy(() -> broker)
      .compose(v -> context.deploy(() -> desk))
      .onSuccess(v -> this.desk = desk)
      .compose(v -> context.deploy(() -> workers))
      .compose(v -> context.deploy(CrawlService::new))
      .compose(v -> ServiceStatus.serve(context.vertx(), name(), context.node(), new JsonArray(),
        () -> new JsonObject().put("work_queues", broker.sizes()).put("orders", desk.stats().mergeIn(workers.stats()))));
  }

  @Override
  public void routes(Router router, ModuleContext context) {
    OrderRoutes.mount(router, context.vertx(), desk);
  }

  @Override
  public List<Demo> demos() {
    return QueueDemos.all();
  }

  @Override
  public List<Object> commands() {
    return List.of(new CrawlCommand());
  }

  @Override
  public List<Object> benchCommands() {
    return List.of(new QueueBench(), new OrderLoad(), new SiteServer());
  }
}
