package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.event.TableId;
import java.io.IOException;
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
 * POST /pipelines/{name}/pause | resume | restart
 * POST /pipelines/{name}/tables/{db.table}/resnapshot
 * GET  /metrics                                     Prometheus text format
 * </pre>
 *
 * With a token configured, every request but {@code /health} needs {@code Authorization: Bearer <token>}.
 */
final class RestServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<PipelineManager> managers;
  private final Metrics metrics;
  private final byte[] token;

  RestServer(String host, int port, List<PipelineManager> managers, Metrics metrics, String token) throws IOException {
    this.managers = managers;
    this.metrics = metrics;
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
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (path.equals("/health")) {
        send(ex, 200, Map.of("status", "up"));
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
    if (!method.equals("POST")) {
      send(ex, 405, Map.of("error", "use POST for actions"));
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
