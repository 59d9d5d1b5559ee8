package dev.postbackrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's guards, over real HTTP: a request reaches the relay only from the console's own
 * page (its host, its origin, this start's session cookie and the console's header), and then with
 * the target's token, on {@code /admin/}. A plain HTTP server stands in for the relay and records
 * what reaches it.
 */
class ConsoleGuardsTest {

  private HttpServer relay;
  private final List<String> reached = new CopyOnWriteArrayList<>();
  private ConsoleServer console;
  private String session;

  @BeforeEach
  void start() throws Exception {
    relay = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    relay.createContext("/", exchange -> {
      try (exchange) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        reached.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
            + exchange.getRequestHeaders().getFirst("Authorization") + " " + new String(body, StandardCharsets.UTF_8));
        byte[] answer = "{\"items\":[],\"next\":null}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
      }
    });
    relay.start();
    Target target = Target.url("http://127.0.0.1:" + relay.getAddress().getPort(), "the-admin-token");
    console = ConsoleServer.start(new AdminClient(target), 0);
    session = console.url().substring(console.url().indexOf("session=") + "session=".length());
  }

  @AfterEach
  void stop() {
    console.close();
    relay.stop(0);
  }

  @Test
  void thePrintedUrl_isOnLoopback_andItsSessionBecomesAStrictHttpOnlyCookie() throws Exception {
    URI printed = URI.create(console.url());
    assertEquals("127.0.0.1", printed.getHost());
    String answer = raw("GET", "/?session=" + session, own(), null, null, null);
    assertTrue(answer.startsWith("HTTP/1.1 303"), answer);
    assertTrue(answer.contains("Set-cookie: " + ConsoleServer.COOKIE + "=" + session
        + "; Path=/; HttpOnly; SameSite=Strict"), answer);
    assertTrue(answer.contains("Location: /"), "the token leaves the address bar: " + answer);
    assertTrue(raw("GET", "/?session=not-this-start", own(), null, null, null).startsWith("HTTP/1.1 403"));
  }

  @Test
  void anApiCallWithSessionAndHeader_reachesTheAdminApi_withTheTargetsToken() throws Exception {
    String answer = raw("GET", "/api/deliveries?campaign_id=c1&outcome=dead", own(), null, cookie(), "1");
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertTrue(answer.endsWith("{\"items\":[],\"next\":null}"), answer);
    String put = raw("PUT", "/api/campaigns/c1", own(), null, cookie(), "1", "{\"landing_url\":\"x\"}");
    assertTrue(put.startsWith("HTTP/1.1 200"), put);
    assertEquals(List.of("GET /admin/deliveries?campaign_id=c1&outcome=dead Bearer the-admin-token ",
        "PUT /admin/campaigns/c1 Bearer the-admin-token {\"landing_url\":\"x\"}"), reached);
  }

  @Test
  void aForeignHostHeader_isRefused_evenWithTheSession() throws Exception {
    assertTrue(raw("GET", "/api/campaigns", "rebound.example:" + console.port(), null, cookie(), "1")
        .startsWith("HTTP/1.1 421"));
    assertTrue(raw("GET", "/", "127.0.0.1:1", null, null, null).startsWith("HTTP/1.1 421"), "another port");
    assertTrue(raw("GET", "/api/campaigns", "localhost:" + console.port(), null, cookie(), "1")
        .startsWith("HTTP/1.1 200"));
    assertTrue(reached.size() == 1, "only the call under the console's own name reached the relay: " + reached);
  }

  @Test
  void aCrossOriginRequest_isRefused() throws Exception {
    String answer = raw("POST", "/api/deliveries/replay", own(), "http://evil.example", cookie(), "1", "");
    assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
    assertTrue(answer.contains("cross_origin"), answer);
    assertTrue(raw("GET", "/api/campaigns", own(), "http://127.0.0.1:" + console.port(), cookie(), "1")
        .startsWith("HTTP/1.1 200"), "its own origin passes");
    assertEquals(1, reached.size());
  }

  @Test
  void withoutTheSessionCookie_orWithoutTheConsolesHeader_nothingReachesTheRelay() throws Exception {
    assertTrue(raw("GET", "/api/campaigns", own(), null, null, "1").startsWith("HTTP/1.1 401"));
    assertTrue(raw("GET", "/api/campaigns", own(), null, ConsoleServer.COOKIE + "=guessed", "1")
        .startsWith("HTTP/1.1 401"));
    // what a cross-site form could send, had the browser attached the cookie: no custom header
    assertTrue(raw("POST", "/api/deliveries/replay", own(), null, cookie(), null, "").startsWith("HTTP/1.1 403"));
    assertTrue(reached.isEmpty(), reached.toString());
  }

  @Test
  void assets_comeFromTheJar_andNoPathLeavesThem() throws Exception {
    String page = raw("GET", "/", own(), null, null, null);
    assertTrue(page.startsWith("HTTP/1.1 200") && page.contains("<title>Postback Relay console</title>"), page);
    assertTrue(page.contains("Content-security-policy: default-src 'none'; script-src 'self'"), page);
    assertTrue(raw("GET", "/vendor/uplot/uPlot.iife.min.js", own(), null, null, null).startsWith("HTTP/1.1 200"));
    assertTrue(raw("GET", "/assets/console.js", own(), null, null, null).startsWith("HTTP/1.1 200"));
    assertTrue(raw("GET", "/assets/../ConsoleServer.class", own(), null, null, null).startsWith("HTTP/1.1 404"));
    assertTrue(raw("GET", "/assets/vendor.properties", own(), null, null, null).startsWith("HTTP/1.1 404"));
    assertFalse(raw("GET", "/api/../admin/campaigns", own(), null, cookie(), "1").startsWith("HTTP/1.1 200"));
    assertTrue(reached.isEmpty(), reached.toString());
  }

  private String own() {
    return "127.0.0.1:" + console.port();
  }

  private String cookie() {
    return ConsoleServer.COOKIE + "=" + session;
  }

  private String raw(String method, String path, String host, String origin, String cookie, String header)
      throws IOException {
    return raw(method, path, host, origin, cookie, header, null);
  }

  /** One HTTP/1.1 exchange written by hand, so that the Host header can be anything. */
  private String raw(String method, String path, String host, String origin, String cookie, String header, String body)
      throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), console.port())) {
      StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host
          + "\r\nConnection: close\r\n");
      if (origin != null) {
        request.append("Origin: ").append(origin).append("\r\n");
      }
      if (cookie != null) {
        request.append("Cookie: ").append(cookie).append("\r\n");
      }
      if (header != null) {
        request.append(ConsoleServer.API_HEADER).append(": ").append(header).append("\r\n");
      }
      byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      if (body != null) {
        request.append("Content-Length: ").append(bytes.length).append("\r\n");
      }
      request.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
