package org.concurrencylab.db;

import org.concurrencylab.database.EmbeddedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code embedded-postgres [--data-dir D] [--port P]}: runs the lab's embedded PostgreSQL alone until Ctrl-C
 * or SIGTERM, printing its URL. The benchmarks use it to give the lab and the Python peers one server.
 */
@Command(name = "embedded-postgres", mixinStandardHelpOptions = true,
  description = "Run the embedded PostgreSQL alone and print its URL (for LAB_DB_URL and the Python peers).")
final class EmbeddedPostgresCommand implements Callable<Integer> {

  @Option(names = "--data-dir", description = "Data directory (default: LAB_DATA_DIR/postgres).")
  Path dataDir;

  @Option(names = "--port", description = "Port on 127.0.0.1 (default: any free port).")
  int port;

  @Override
  public Integer call() throws Exception {
    Path dir = dataDir != null ? dataDir : Path.of(CommandDatabase.fromEnvironment().getString("data_dir"), "postgres");
    EmbeddedDatabase database = EmbeddedDatabase.start(dir, port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        database.close();
      } catch (Exception e) {
        System.err.println("error: stopping PostgreSQL: " + e.getMessage());
      }
      stopped.countDown();
    }));
    System.out.println(database.url());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
