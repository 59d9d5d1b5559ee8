package dev.postbackrelay.localruntime.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.postbackrelay.localruntime.net.LoopbackHttpServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Lambda Runtime API ({@code /2018-06-01/runtime/...}) for one execution environment, on a
 * loopback port of its own: {@code GET invocation/next} blocks until {@link Sandbox} hands out an
 * invocation and answers with its event and the {@code Lambda-Runtime-*} headers;
 * {@code POST invocation/{id}/response}, {@code POST invocation/{id}/error} and
 * {@code POST init/error} are passed to the sandbox and answered {@code 202}.
 */
final class RuntimeApiServer implements AutoCloseable {

  private static final String PREFIX = "/2018-06-01/runtime/";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Sandbox sandbox;
  private final String functionArn;

  RuntimeApiServer(Sandbox sandbox, String functionArn) throws IOException {
    this.sandbox = sandbox;
    this.functionArn = functionArn;
    this.server = LoopbackHttpServers.create(0, 16);
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "runtime-api-" + sandbox.name());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext(PREFIX, this::handle);
    server.start();
  }

  /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
      String method = exchange.getRequestMethod();
      if ("GET".equals(method) && "invocation/next".equals(path)) {
        next(exchange);
      } else if ("POST".equals(method) && "init/error".equals(path)) {
        sandbox.initFailed(errorType(exchange), body(exchange));
        reply(exchange, 202, "{\"status\":\"OK\"}");
      } else if ("POST".equals(method) && path.startsWith("invocation/") && path.endsWith("/response")) {
        boolean known = sandbox.respond(idOf(path, "/response"), body(exchange));
        reply(exchange, known ? 202 : 400, known ? "{\"status\":\"OK\"}" : unknownRequest());
      } else if ("POST".equals(method) && path.startsWith("invocation/") && path.endsWith("/error")) {
        boolean known = sandbox.fail(idOf(path, "/error"), errorType(exchange), body(exchange));
        reply(exchange, known ? 202 : 400, known ? "{\"status\":\"OK\"}" : unknownRequest());
      } else {
        reply(exchange, 404, "{\"errorMessage\":\"not found\",\"errorType\":\"NotFound\"}");
      }
    }
  }

  private void next(HttpExchange exchange) throws IOException {
    Invocation invocation;
    try {
      invocation = sandbox.next();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      invocation = null;
    }
    if (invocation == null) {
      reply(exchange, 503, "{\"errorMessage\":\"execution environment is shutting down\"}");
      return;
    }
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", "application/json");
    headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
    headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineMs()));
    headers.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
    headers.set("Lambda-Runtime-Trace-Id", TraceIds.newTraceHeader());
    byte[] event = invocation.event();
    exchange.sendResponseHeaders(200, event.length == 0 ? -1 : event.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(event);
    }
  }

  private static String idOf(String path, String suffix) {
    return path.substring("invocation/".length(), path.length() - suffix.length());
  }

  private static String errorType(HttpExchange exchange) {
    String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
    return type == null ? "Unhandled" : type;
  }

  private static String unknownRequest() {
    return "{\"errorMessage\":\"unknown or finished request id\",\"errorType\":\"InvalidRequestID\"}";
  }

  private static byte[] body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
