package dev.postbackrelay.lambda;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP server on loopback standing in for a partner that receives forwarded postbacks (an
 * affiliate, or an ad platform's API): records every request, answers with a configurable status,
 * can answer with a redirect, or can hang.
 */
public final class Partner implements AutoCloseable {

  /** One request as the partner saw it; header names lower-cased. */
  public record Received(String method, URI uri, Map<String, String> headers, String body) {
    public String idempotencyKey() {
      return headers.get("idempotency-key");
    }
  }

  private final HttpServer server;
  private final Queue<Received> received = new ConcurrentLinkedQueue<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> location = new AtomicReference<>();
  private final AtomicReference<Duration> hang = new AtomicReference<>(Duration.ZERO);
  private final Queue<Integer> script = new ConcurrentLinkedQueue<>();
  private final AtomicReference<String> answerBody = new AtomicReference<>();

  public Partner() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      Map<String, String> headers = new TreeMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI(), headers, body));
      try {
        Thread.sleep(hang.get().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Integer scripted = script.poll();
      if (location.get() != null) {
        exchange.getResponseHeaders().add("Location", location.get());
      }
      String answer = answerBody.get();
      if (answer == null) {
        exchange.sendResponseHeaders(scripted != null ? scripted : status.get(), -1);
      } else {
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(scripted != null ? scripted : status.get(), bytes.length);
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  public String url(String pathAndQuery) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
  }

  /** The status every following request gets (after any scripted ones). */
  public void respondWith(int httpStatus) {
    status.set(httpStatus);
  }

  /** The statuses the next requests get, in order; then {@link #respondWith}'s. */
  public void script(Integer... statuses) {
    script.addAll(List.of(statuses));
  }

  /** Every following answer carries this JSON body. */
  public void respondWithBody(String json) {
    answerBody.set(json);
  }

  /** Every following answer is a redirect to {@code target}. */
  public void redirectTo(String target) {
    location.set(target);
    status.set(302);
  }

  /** Every following request is held this long before it is answered. */
  public void hangFor(Duration duration) {
    hang.set(duration);
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
