package io.rotnet.dashboard;

import io.rotnet.schemas.serde.SchemaRegistryClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * The live dashboard: a {@link TopicFeed} and a {@link LagMonitor} fill one
 * {@link DashboardState}, which a {@link DashboardServer} serves as a page, a JSON API, an event
 * stream and Prometheus metrics.
 *
 * <pre>{@code
 * try (Dashboard dashboard = Dashboard.start(DashboardSettings.defaults(bootstrap, registryUrl))) {
 *   System.out.println("dashboard: " + dashboard.url());
 *   ...
 * }
 * }</pre>
 */
public final class Dashboard implements AutoCloseable {

  private final DashboardState state;
  private final TopicFeed feed;
  private final LagMonitor lag;
  private final Thread feedThread;
  private final Thread lagThread;
  private final DashboardServer server;
  private final URI url;

  private Dashboard(DashboardSettings settings) throws IOException {
    this.state = new DashboardState();
    this.feed = new TopicFeed(settings, new SchemaRegistryClient(settings.schemaRegistryUrl()), state);
    this.lag = new LagMonitor(settings, state);
    try {
      this.server = new DashboardServer(settings.host(), settings.port(), state, SeedReferences.load());
    } catch (IOException | RuntimeException e) {
      feed.stop();
      lag.stop();
      throw e;
    }
    String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
    this.url = URI.create("http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + server.port() + "/");
    this.feedThread = daemon(feed, "rotnet-dashboard-feed");
    this.lagThread = daemon(lag, "rotnet-dashboard-lag");
  }

  /** Starts reading the topics and serving; returns once the server listens. */
  public static Dashboard start(DashboardSettings settings) throws IOException {
    return new Dashboard(settings);
  }

  private static Thread daemon(Runnable body, String name) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Where the page is served, e.g. {@code http://127.0.0.1:8090/}. */
  public URI url() {
    return url;
  }

  /** The state version: grows with every record or lag reading taken in. */
  public long version() {
    return state.version();
  }

  @Override
  public void close() {
    server.close();
    feed.stop();
    lag.stop();
    lagThread.interrupt();
    join(feedThread);
    join(lagThread);
  }

  private static void join(Thread thread) {
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
