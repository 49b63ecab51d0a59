package org.concurrencylab.db;

import io.vertx.core.Future;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

import java.util.List;

/**
 * The {@code db} service (chapter 5): the products store on the bus ({@code products.*}), its demos, the
 * {@code seed} and {@code embedded-postgres} commands and the {@code bench db-queries} client.
 */
public final class DbModule implements ServiceModule {

  static final String NAME = "db";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "ch5: the product database on PostgreSQL, served on the bus as products.*";
  }

  @Override
  public boolean needsDatabase() {
    return true;
  }

  /** One store verticle: it owns the pool, whose connections already spread over the event loops. */
  @Override
  public Future<?> deploy(ModuleContext context) {
    return context.deploy(ProductStore::new);
  }

  @Override
  public List<Demo> demos() {
    return List.of(new DbQueriesDemo(), new TransactionsDemo(), new CursorDemo());
  }

  @Override
  public List<Object> commands() {
    return List.of(new SeedCommand(), new EmbeddedPostgresCommand());
  }

  @Override
  public List<Object> benchCommands() {
    return List.of(new DbQueriesBench());
  }
}
