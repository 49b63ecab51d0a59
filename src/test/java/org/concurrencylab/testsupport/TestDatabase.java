package org.concurrencylab.testsupport;

import org.concurrencylab.database.EmbeddedDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real embedded PostgreSQL for the whole test JVM (surefire runs every class in one fork). Each test
 * class takes a fresh database of its own with {@link #freshDatabase(String)}, so classes never see each
 * other's rows and nobody waits for a second server to start.
 */
public final class TestDatabase {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedDatabase server;

  private TestDatabase() {
  }

  /** The shared server, started on first use and stopped when the JVM exits. */
  public static synchronized EmbeddedDatabase server() {
    if (server == null) {
      try {
        Path dir = Files.createTempDirectory("lab-test-pg").resolve("data");
        server = EmbeddedDatabase.start(dir);
        EmbeddedDatabase started = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            started.close();
          } catch (IOException ignored) {
            // the JVM is going away; nothing else to do
          }
        }));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return server;
  }

  /** Creates an empty database named after {@code prefix} and returns its URL. */
  public static String freshDatabase(String prefix) {
    String name = prefix.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_")
      + "_" + COUNTER.incrementAndGet();
    try {
      server().execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return "postgresql://postgres@127.0.0.1:" + server().port() + "/" + name;
  }
}
