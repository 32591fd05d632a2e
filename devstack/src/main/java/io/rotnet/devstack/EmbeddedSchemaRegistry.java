package io.rotnet.devstack;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Confluent-compatible schema registry for Avro inside this JVM, on 127.0.0.1, keeping its
 * schemas in the compacted {@code _schemas} topic of a Kafka broker. Implements register, lookup,
 * schema by id, subjects and versions, compatibility checks (BACKWARD) and config reads.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

  private static final String LOOPBACK = "127.0.0.1";

  private final HttpServer server;
  private final ExecutorService executor;
  private final SchemaStore store;
  private final RegistryHandler handler;
  private boolean closed;

  private EmbeddedSchemaRegistry(
      HttpServer server, ExecutorService executor, SchemaStore store, RegistryHandler handler) {
    this.server = server;
    this.executor = executor;
    this.store = store;
    this.handler = handler;
  }

  /** Starts on a free port. */
  public static EmbeddedSchemaRegistry start(String bootstrapServers) {
    return start(bootstrapServers, 0);
  }

  /**
   * Starts on the given port (0 for any free one), after replaying the schemas already stored on
   * the broker.
   */
  public static EmbeddedSchemaRegistry start(String bootstrapServers, int port) {
    SchemaStore store = SchemaStore.open(bootstrapServers);
    ExecutorService executor = Executors.newFixedThreadPool(4, daemonThreads());
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 64);
      RegistryHandler handler = new RegistryHandler(store);
      server.createContext("/", handler);
      server.setExecutor(executor);
      server.start();
      return new EmbeddedSchemaRegistry(server, executor, store, handler);
    } catch (IOException e) {
      executor.shutdownNow();
      store.close();
      throw new UncheckedIOException("cannot start the schema registry on port " + port, e);
    }
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://" + LOOPBACK + ":" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** HTTP requests served since start; lets tests see that clients cache. */
  public long requestCount() {
    return handler.requestCount();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    store.close();
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "schema-registry-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
