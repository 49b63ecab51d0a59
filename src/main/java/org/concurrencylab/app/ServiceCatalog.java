package org.concurrencylab.app;

import org.concurrencylab.basics.BasicsModule;
import org.concurrencylab.bff.BffModule;
import org.concurrencylab.bff.shop.ShopModule;
import org.concurrencylab.blocking.BlockingModule;
import org.concurrencylab.blocking.loadtest.LoadTestModule;
import org.concurrencylab.chat.ChatModule;
import org.concurrencylab.cluster.ClusterModule;
import org.concurrencylab.db.DbModule;
import org.concurrencylab.bridge.BridgeModule;
import org.concurrencylab.echo.EchoModule;
import org.concurrencylab.fetch.FetchModule;
import org.concurrencylab.fetch.stub.StubModule;
import org.concurrencylab.http.HttpModule;
import org.concurrencylab.loop.LoopModule;
import org.concurrencylab.mapreduce.MapReduceModule;
import org.concurrencylab.process.ProcessModule;
import org.concurrencylab.queue.QueueModule;
import org.concurrencylab.spi.ServiceModule;
import org.concurrencylab.sync.SyncModule;
import org.concurrencylab.web.WebModule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every service the lab has, in deployment order. A node deploys those named in {@code services}
 * ({@code LAB_SERVICES}); the HTTP server comes last so that it starts with every other service ready.
 */
public final class ServiceCatalog {

  private final Map<String, ServiceModule> modules = new LinkedHashMap<>();

  ServiceCatalog(List<ServiceModule> modules) {
    modules.forEach(module -> this.modules.put(module.name(), module));
  }

  /** The lab's services. Add a new service here, one line, before {@code http}. */
  public static ServiceCatalog all() {
    return new ServiceCatalog(List.of(
      new BasicsModule(),
      new EchoModule(),
      new ChatModule(),
      new StubModule(),
      new FetchModule(),
      new BlockingModule(),
      new LoadTestModule(),
      new BridgeModule(),
      new DbModule(),
      new WebModule(),
      new ShopModule(),
      new BffModule(),
      new SyncModule(),
      new QueueModule(),
      new ProcessModule(),
      new LoopModule(),
      new MapReduceModule(),
      new ClusterModule(),
      new HttpModule()));
  }

  public List<ServiceModule> modules() {
    return List.copyOf(modules.values());
  }

  /** The names of every service, in deployment order. */
  public List<String> names() {
    return List.copyOf(modules.keySet());
  }

  /**
   * The modules named in a {@code services} setting: {@code all}, or a comma list of names.
   *
   * @throws ConfigException naming {@code LAB_SERVICES} when a name is unknown or the list is empty
   */
  public List<ServiceModule> select(String services) {
    return select("services", services);
  }

  /**
   * The modules whose HTTP routes a node mounts: those it deploys, and those named by {@code routes}
   * ({@code http_routes}: blank for none, {@code all}, or a comma list), in catalogue order.
   *
   * @throws ConfigException naming {@code LAB_HTTP_ROUTES} when a name is unknown
   */
  public List<ServiceModule> routed(List<ServiceModule> deployed, String routes) {
    List<ServiceModule> named = routes == null || routes.isBlank() ? List.of() : select("http_routes", routes);
    return modules.values().stream().filter(module -> deployed.contains(module) || named.contains(module)).toList();
  }

  private List<ServiceModule> select(String key, String services) {
    String list = services == null ? "" : services.trim();
    if (list.equals("all")) {
      return modules();
    }
    List<String> wanted = new ArrayList<>();
    for (String name : list.split(",")) {
      String trimmed = name.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (!modules.containsKey(trimmed)) {
        throw new ConfigException(LabConfig.environmentVariable(key) + "=" + services
          + ": unknown service '" + trimmed + "' (known: all, " + String.join(", ", modules.keySet()) + ")");
      }
      wanted.add(trimmed);
    }
    if (wanted.isEmpty()) {
      throw new ConfigException(LabConfig.environmentVariable(key) + "=" + services
        + ": names no service (known: all, " + String.join(", ", modules.keySet()) + ")");
    }
    return modules.values().stream().filter(module -> wanted.contains(module.name())).toList();
  }
}
