package dev.postbackrelay.localruntime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A real HTTP server on loopback standing in for the affiliate that receives forwarded postbacks:
 * it hands each request to the test, then answers 200 without a body.
 */
final class AffiliateServer implements AutoCloseable {

  private final HttpServer server;

  private AffiliateServer(HttpServer server) {
    this.server = server;
  }

  static AffiliateServer start(Consumer<HttpExchange> onRequest) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      onRequest.accept(exchange);
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    return new AffiliateServer(server);
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** A raw query string's parameters, decoded, in their order; a name without {@code =} has the empty value. */
  static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }
}
