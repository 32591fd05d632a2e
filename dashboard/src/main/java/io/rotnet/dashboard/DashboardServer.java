package io.rotnet.dashboard;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rotnet.evaluator.results.ResultsTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the page, its scripts and styles (the chart library from its WebJar), the JSON API,
 * the event stream and {@code /metrics} from the JDK's HTTP server. Read-only: anything but GET
 * or HEAD is refused, and nothing on the page is fetched from elsewhere (the content security
 * policy says so to the browser too).
 */
final class DashboardServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
  private static final String WEB = "/io/rotnet/dashboard/web/";
  private static final String UPLOT = "/META-INF/resources/webjars/uplot/" + UplotVersion.VERSION + "/";
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
      + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
  /** How often an idle event stream sends a comment, so proxies and the browser keep it open. */
  private static final long KEEP_ALIVE_MS = 15_000;

  /** A static file: where it lies on the classpath and its content type. */
  private record Asset(String resource, String contentType) {}

  private static final Map<String, Asset> ASSETS = Map.of(
      "/", new Asset(WEB + "index.html", "text/html; charset=utf-8"),
      "/index.html", new Asset(WEB + "index.html", "text/html; charset=utf-8"),
      "/static/app.js", new Asset(WEB + "app.js", "text/javascript; charset=utf-8"),
      "/static/app.css", new Asset(WEB + "app.css", "text/css; charset=utf-8"),
      "/static/uPlot.iife.min.js", new Asset(UPLOT + "dist/uPlot.iife.min.js", "text/javascript; charset=utf-8"),
      "/static/uPlot.min.css", new Asset(UPLOT + "dist/uPlot.min.css", "text/css; charset=utf-8"),
      "/licenses/uplot.txt", new Asset(UPLOT + "LICENSE", "text/plain; charset=utf-8"));

  private final DashboardState state;
  private final SeedReferences references;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Gson gson = new GsonBuilder()
      .serializeNulls()
      .registerTypeAdapter(Instant.class, (JsonSerializer<Instant>) (src, type, ctx) -> new JsonPrimitive(src.toString()))
      .create();
  private final Map<String, Function<DashboardState.Snapshot, Object>> api;

  DashboardServer(String host, int port, DashboardState state, SeedReferences references) throws IOException {
    this.state = state;
    this.references = references;
    this.api = Map.of(
        "/api/state", s -> Views.state(s, references),
        "/api/runs", Views::runs,
        "/api/benchmarks", s -> Views.charts(s.results(), references),
        "/api/table", Views::table,
        "/api/health", Views::health,
        "/api/references", s -> references.all());
    this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread thread = new Thread(r, "rotnet-dashboard-http-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The bound port (useful when 0 was asked for). */
  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "the dashboard is read-only\n");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      Asset asset = ASSETS.get(path);
      if (asset != null) {
        sendAsset(exchange, asset);
      } else if (api.containsKey(path)) {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, 200, "application/json; charset=utf-8", gson.toJson(api.get(path).apply(state.snapshot())));
      } else if (path.equals("/api/events")) {
        events(exchange);
      } else if (path.equals("/metrics")) {
        send(exchange, 200, PrometheusText.CONTENT_TYPE, PrometheusText.of(state.snapshot()));
      } else if (path.startsWith("/api/results")) {
        results(exchange, path);
      } else {
        send(exchange, 404, "text/plain; charset=utf-8", "not found: " + path + "\n");
      }
    } catch (IOException e) {
      LOG.debug("request {} ended: {}", exchange.getRequestURI(), e.toString());
    } catch (RuntimeException e) {
      LOG.warn("request {} failed", exchange.getRequestURI(), e);
      throw e;
    }
  }

  /** The latest results exactly as {@code rotnet results} prints them: JSON, CSV or the text table. */
  private void results(HttpExchange exchange, String path) throws IOException {
    DashboardState.Snapshot s = state.snapshot();
    ResultsTable table = new ResultsTable(s.results(), s.latestMetrics());
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    switch (path) {
      case "/api/results", "/api/results.json" -> {
        attachIfFile(exchange, path, "rotnet-results.json");
        send(exchange, 200, "application/json; charset=utf-8", table.json());
      }
      case "/api/results.csv" -> {
        attachIfFile(exchange, path, "rotnet-results.csv");
        send(exchange, 200, "text/csv; charset=utf-8", table.csv());
      }
      case "/api/results.txt" -> send(exchange, 200, "text/plain; charset=utf-8", table.table());
      default -> send(exchange, 404, "text/plain; charset=utf-8", "not found: " + path + "\n");
    }
  }

  private static void attachIfFile(HttpExchange exchange, String path, String fileName) {
    if (path.contains(".")) {
      exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
    }
  }

  /**
   * Server-sent events: an {@code update} event carrying the state's version whenever it changes
   * (the page then fetches {@code /api/state}), a comment when idle. Ends when the client goes away
   * or the dashboard closes.
   */
  private void events(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, 0);
    OutputStream body = exchange.getResponseBody();
    long seen = -2;
    try {
      while (true) {
        long version = seen == -2 ? state.version() : state.awaitChange(seen, KEEP_ALIVE_MS);
        if (version < 0) {
          return;
        }
        String message = version == seen ? ": idle\n\n" : "event: update\ndata: {\"version\":" + version + "}\n\n";
        body.write(message.getBytes(StandardCharsets.UTF_8));
        body.flush();
        seen = version;
        Thread.sleep(250); // at most four updates a second, however fast records arrive
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sendAsset(HttpExchange exchange, Asset asset) throws IOException {
    try (InputStream in = DashboardServer.class.getResourceAsStream(asset.resource())) {
      if (in == null) {
        send(exchange, 404, "text/plain; charset=utf-8", "missing resource " + asset.resource() + "\n");
        return;
      }
      byte[] bytes = in.readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", asset.contentType());
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      writeBody(exchange, 200, bytes);
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, String text) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    writeBody(exchange, status, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void writeBody(HttpExchange exchange, int status, byte[] bytes) throws IOException {
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    state.close();
    server.stop(0);
    executor.shutdownNow();
  }
}
