package org.concurrencylab.mapreduce;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import org.concurrencylab.mapreduce.job.CoordinatorSettings;
import org.concurrencylab.mapreduce.job.JobRoutes;
import org.concurrencylab.mapreduce.job.WordCountCommand;
import org.concurrencylab.mapreduce.job.WordCountService;
import org.concurrencylab.mapreduce.lessons.ParallelLoopsDemo;
import org.concurrencylab.mapreduce.lessons.SharedCounterDemo;
import org.concurrencylab.mapreduce.ngrams.GenerateNgramsCommand;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

import java.util.List;

/**
 * The {@code mapreduce} service (chapter 6): map workers ({@code mapreduce_workers}, 0 = one per core) and a
 * coordinator on every node that runs it, the {@code /jobs} routes, the {@code gen-ngrams} and
 * {@code wordcount} commands, and the chapter's demos.
 */
public final class MapReduceModule implements ServiceModule {

  @Override
  public String name() {
    return "mapreduce";
  }

  @Override
  public String summary() {
    return "word count map-reduce on worker verticles, on one node and across the cluster (ch6)";
  }

  @Override
  public Future<?> deploy(ModuleContext context) {
    CoordinatorSettings settings = CoordinatorSettings.from(context.config(), context.node());
    WordCountService service = new WordCountService(context.vertx(), context.node());
    int workers = WordCountService.workerCount(context.config().getInteger("mapreduce_workers", 0));
    return service.deployWorkers(workers, context.config())
      .compose(id -> service.deployCoordinator(settings, context.config()));
  }

  @Override
  public void routes(Router router, ModuleContext context) {
    JobRoutes.mount(router, context.vertx());
  }

  @Override
  public List<Demo> demos() {
    return List.of(new SharedCounterDemo(), new ParallelLoopsDemo());
  }

  @Override
  public List<Object> commands() {
    return List.of(new GenerateNgramsCommand(), new WordCountCommand());
  }
}
