package dev.postbackrelay.lambda;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on loopback standing in for a partner that receives forwarded postbacks. */
public final class Partner implements AutoCloseable {

  /** One request as the partner saw it. */
  public record Received(String method, URI uri, String idempotencyKey) {}

  private final HttpServer server;
  private final Queue<Received> received = new ConcurrentLinkedQueue<>();
  private final AtomicInteger status = new AtomicInteger(200);

  public Partner() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI(),
          exchange.getRequestHeaders().getFirst("Idempotency-Key")));
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(status.get(), -1);
      exchange.close();
    });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
  }

  public String url(String pathAndQuery) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
  }

  /** The status every following request gets. */
  public void respondWith(int httpStatus) {
    status.set(httpStatus);
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
