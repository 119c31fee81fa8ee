package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.event.TableId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's REST API (JSON), on the JDK's own HTTP server:
 *
 * <pre>
 * GET  /health                                      {"status":"up"}
 * GET  /pipelines                                   every pipeline's status
 * GET  /pipelines/{name}                            one pipeline's status
 * GET  /pipelines/{name}/history                    throughput and lag, one point a second, last 5 minutes
 * GET  /pipelines/{name}/config                     the pipeline file as written, secrets masked
 * GET  /pipelines/{name}/logs?lines=N               its recent log lines (N at most 200, default 100)
 * POST /pipelines/{name}/pause | resume | restart
 * POST /pipelines/{name}/tables/{db.table}/resnapshot
 * POST /pipelines/{name}/tables/{db.table}             add a table to the capture (kept beside the checkpoint)
 * DELETE /pipelines/{name}/tables/{db.table}           take an added table out again
 * GET  /metrics                                     Prometheus text format
 * GET  /  and  /ui/{app.js,style.css}               the status page, which uses only the calls above
 * </pre>
 *
 * With a token configured, every request but {@code /health} and the status page's own files (which
 * hold no data) needs {@code Authorization: Bearer <token>}.
 */
final class RestServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The status page's files, by request path; served without a token, as they hold no data. */
  private static final Map<String, String> ASSETS = Map.of("/", "index.html", "/index.html", "index.html",
      "/ui/app.js", "app.js", "/ui/style.css", "style.css");

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<PipelineManager> managers;
  private final Metrics metrics;
  private final LogTail logs;
  private final byte[] token;

  RestServer(String host, int port, List<PipelineManager> managers, Metrics metrics, LogTail logs, String token)
      throws IOException {
    this.managers = managers;
    this.metrics = metrics;
    this.logs = logs;
    this.token = token == null || token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.server = HttpServer.create(new InetSocketAddress(host, port), 16);
    // Two threads are plenty for an operator's API; a bounded pool keeps a flood of requests from
    // growing threads.
    this.executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "sluice-rest");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  void start() {
    server.start();
    LOG.info("REST API listening on {}", server.getAddress());
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    // The exchange is closed after the error answers too: a try-with-resources would close it first.
    try (ex) {
      answer(ex);
    }
  }

  private void answer(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (path.equals("/health")) {
        send(ex, 200, Map.of("status", "up"));
        return;
      }
      String asset = method.equals("GET") ? ASSETS.get(path) : null;
      if (asset != null) {
        sendAsset(ex, asset);
        return;
      }
      if (token != null && !authorized(ex)) {
        send(ex, 401, Map.of("error", "missing or wrong bearer token"));
        return;
      }
      if (path.equals("/metrics") && method.equals("GET")) {
        byte[] body = metrics.scrape(managers).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
        return;
      }
      route(ex, method, path.split("/"));
    } catch (ApiException e) {
      send(ex, e.status(), Map.of("error", e.getMessage()));
    } catch (IllegalArgumentException | IllegalStateException e) {
      send(ex, 409, Map.of("error", e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(ex, 503, Map.of("error", "interrupted"));
    } catch (RuntimeException e) {
      LOG.warn("REST request {} failed", ex.getRequestURI(), e);
      send(ex, 500, Map.of("error", String.valueOf(e.getMessage())));
    }
  }

  private void route(HttpExchange ex, String method, String[] parts) throws IOException, InterruptedException {
    // parts[0] is the empty string before the leading slash
    if (parts.length == 2 && parts[1].equals("pipelines") && method.equals("GET")) {
      send(ex, 200, managers.stream().map(PipelineManager::describe).toList());
      return;
    }
    if (parts.length < 3 || !parts[1].equals("pipelines")) {
      send(ex, 404, Map.of("error", "no such endpoint; see GET /pipelines"));
      return;
    }
    PipelineManager m = managers.stream().filter(x -> x.id().equals(parts[2])).findFirst().orElse(null);
    if (m == null) {
      send(ex, 404, Map.of("error", "no pipeline named '" + parts[2] + "'"));
      return;
    }
    if (parts.length == 3 && method.equals("GET")) {
      send(ex, 200, m.describe());
      return;
    }
    if (parts.length == 4 && method.equals("GET")) {
      switch (parts[3]) {
        case "history" -> send(ex, 200, Map.of("name", m.id(), "intervalMillis", 1000, "points", m.history()));
        case "config" -> send(ex, 200, Map.of("name", m.id(), "file", m.describe().get("file"),
            "yaml", m.maskedFile()));
        case "logs" -> {
          int lines = linesParameter(ex.getRequestURI().getQuery());
          List<String> secrets = m.secrets();
          send(ex, 200, Map.of("name", m.id(), "lines",
              logs.recent(m.id(), lines).stream().map(l -> MaskedYaml.maskValues(l, secrets)).toList()));
        }
        default -> send(ex, 404, Map.of("error", "no such endpoint '" + parts[3] + "'; history, config, logs"));
      }
      return;
    }
    if (parts.length == 5 && parts[3].equals("tables") && (method.equals("POST") || method.equals("DELETE"))) {
      String table = method.equals("POST") ? m.addTable(parts[4]) : m.removeTable(parts[4]);
      Map<String, Object> out = new java.util.LinkedHashMap<>(m.describe());
      out.put(method.equals("POST") ? "added" : "removed", table);
      send(ex, 200, out);
      return;
    }
    if (!method.equals("POST")) {
      send(ex, 405, Map.of("error", "use POST for actions (DELETE only to remove an added table)"));
      return;
    }
    if (parts.length == 4) {
      switch (parts[3]) {
        case "pause" -> m.pause();
        case "resume" -> m.resume();
        case "restart" -> m.restart();
        default -> {
          send(ex, 404, Map.of("error", "unknown action '" + parts[3] + "'; pause, resume, restart"));
          return;
        }
      }
    } else if (parts.length == 6 && parts[3].equals("tables") && parts[5].equals("resnapshot")) {
      m.resnapshot(TableId.parse(parts[4]));
    } else {
      send(ex, 404, Map.of("error", "no such endpoint"));
      return;
    }
    send(ex, 200, m.describe());
  }

  /** The {@code lines} query parameter: 1 to {@value LogTail#LINES}, default 100. */
  private static int linesParameter(String query) {
    if (query == null) {
      return 100;
    }
    for (String kv : query.split("&")) {
      if (kv.startsWith("lines=")) {
        String v = kv.substring("lines=".length());
        try {
          int n = Integer.parseInt(v);
          if (n >= 1 && n <= LogTail.LINES) {
            return n;
          }
        } catch (NumberFormatException e) {
          // refused below
        }
        throw new IllegalArgumentException("lines must be a number from 1 to " + LogTail.LINES + ", not '" + v + "'");
      }
    }
    return 100;
  }

  private void sendAsset(HttpExchange ex, String asset) throws IOException {
    byte[] body;
    try (InputStream in = RestServer.class.getResourceAsStream("ui/" + asset)) {
      if (in == null) {
        throw new IllegalStateException("the status page's " + asset + " is missing from the jar");
      }
      body = in.readAllBytes();
    }
    String type = asset.endsWith(".html") ? "text/html" : asset.endsWith(".js") ? "text/javascript" : "text/css";
    ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    // Everything the page loads comes from here: no other origin, no inline script.
    ex.getResponseHeaders().set("Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private boolean authorized(HttpExchange ex) {
    String given = ex.getRequestHeaders().getFirst("Authorization");
    return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int code, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
