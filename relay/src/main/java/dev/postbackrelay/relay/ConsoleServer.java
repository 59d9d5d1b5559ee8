package dev.postbackrelay.relay;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The web console on loopback: the page and its assets from the classpath ({@code console/} and
 * the uPlot WebJar), and {@code /api/<path>} relayed to the target's {@code /admin/<path>} through
 * {@link AdminClient#exchange}, which adds the bearer token or the SigV4 signature.
 *
 * <p>The console holds the operator's credentials, so every request must come from the page it
 * served, never from another site in the same browser: the {@code Host} header must name this
 * server ({@code 127.0.0.1:PORT} or {@code localhost:PORT}; anything else is DNS rebinding), an
 * {@code Origin} header, when sent, must be this server's, and {@code /api/} needs the session
 * cookie (set from the random {@code ?session=} of the printed URL, {@code HttpOnly},
 * {@code SameSite=Strict}) and the header {@code X-Relay-Console: 1}, which no cross-site form can
 * send. Refusals are 403 (421 for a foreign host) with the usual {@code {error, message}} body.
 */
public final class ConsoleServer implements AutoCloseable {

  /** The header every API call of the page carries. */
  public static final String API_HEADER = "X-Relay-Console";
  /** The session cookie's name. */
  public static final String COOKIE = "relay_console_session";
  /** The largest request body relayed (a campaign is at most 16 KiB). */
  static final int MAX_BODY = 256 * 1024;
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT");
  /** Asset names: one level of plain file names, so no path can leave {@code console/}. */
  private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*\\.(js|css|svg|png)");
  private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
      "png", "image/png");
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final AdminClient client;
  private final HttpServer server;
  private final ExecutorService executor;
  private final String session;
  private final String uplotPath;
  private final int port;

  private ConsoleServer(AdminClient client, HttpServer server, ExecutorService executor, String session) {
    this.client = client;
    this.server = server;
    this.executor = executor;
    this.session = session;
    this.port = server.getAddress().getPort();
    this.uplotPath = "META-INF/resources/webjars/uplot/" + vendorVersion("uplot") + "/dist/";
  }

  /**
   * Starts serving on {@code 127.0.0.1:port} (0: any free port).
   *
   * @throws IOException the port is taken
   */
  public static ConsoleServer start(AdminClient client, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "console");
      t.setDaemon(true);
      return t;
    });
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    ConsoleServer console = new ConsoleServer(client, server, executor,
        Base64.getUrlEncoder().withoutPadding().encodeToString(random));
    server.createContext("/", console::handle);
    server.setExecutor(executor);
    server.start();
    return console;
  }

  public int port() {
    return port;
  }

  /** The URL to open: it carries this start's session, which the page exchanges for a cookie. */
  public String url() {
    return "http://127.0.0.1:" + port + "/?session=" + session;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Headers h = exchange.getResponseHeaders();
      h.set("X-Content-Type-Options", "nosniff");
      h.set("Referrer-Policy", "no-referrer");
      h.set("X-Frame-Options", "DENY");
      h.set("Cache-Control", "no-store");
      h.set("Content-Security-Policy", CSP);
      String host = exchange.getRequestHeaders().getFirst("Host");
      if (host == null || !isOwn(host.toLowerCase(Locale.ROOT))) {
        refuse(exchange, 421, "wrong_host", "This console answers only as 127.0.0.1:" + port + " or localhost:" + port
            + ".");
        return;
      }
      String origin = exchange.getRequestHeaders().getFirst("Origin");
      if (origin != null && !isOwnOrigin(origin.toLowerCase(Locale.ROOT))) {
        refuse(exchange, 403, "cross_origin", "Requests from other sites are refused.");
        return;
      }
      URI uri = exchange.getRequestURI();
      String path = uri.getRawPath();
      if (path.startsWith("/api/")) {
        api(exchange, path.substring("/api/".length()), uri.getRawQuery());
      } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
        refuse(exchange, 405, "method_not_allowed", "Only GET is served outside /api/.");
      } else if (path.equals("/")) {
        index(exchange, uri.getRawQuery());
      } else if (path.startsWith("/assets/") && ASSET.matcher(path.substring(8)).matches()) {
        resource(exchange, "console/" + path.substring(8));
      } else if (path.startsWith("/vendor/uplot/") && ASSET.matcher(path.substring(14)).matches()) {
        resource(exchange, uplotPath + path.substring(14));
      } else {
        refuse(exchange, 404, "not_found", "No such page: the console is at /.");
      }
    } catch (RuntimeException e) {
      // the exchange is closed; the page shows the failed request
      System.err.println("relay console: " + e);
    }
  }

  /** The page; with the printed URL's {@code ?session=}, sets the cookie and drops the token from the address. */
  private void index(HttpExchange exchange, String query) throws IOException {
    String given = sessionParameter(query);
    if (given != null) {
      if (!sameSecret(given, session)) {
        refuse(exchange, 403, "bad_session", "This link is from an earlier start of relay console: open the URL it"
            + " printed this time.");
        return;
      }
      exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + session
          + "; Path=/; HttpOnly; SameSite=Strict");
      exchange.getResponseHeaders().set("Location", "/");
      exchange.sendResponseHeaders(303, -1);
      return;
    }
    resource(exchange, "console/index.html");
  }

  private void api(HttpExchange exchange, String rest, String query) throws IOException {
    String method = exchange.getRequestMethod();
    if (!hasSession(exchange.getRequestHeaders().get("Cookie"))) {
      refuse(exchange, 401, "no_session", "No console session: open the URL that relay console printed.");
      return;
    }
    if (!"1".equals(exchange.getRequestHeaders().getFirst(API_HEADER))) {
      refuse(exchange, 403, "missing_header", "API calls need the header " + API_HEADER + ": 1.");
      return;
    }
    if (!METHODS.contains(method) || rest.isEmpty() || rest.contains("..") || rest.startsWith("/")) {
      refuse(exchange, 400, "invalid_request", "Not an admin call: " + method + " /api/" + rest);
      return;
    }
    String body = null;
    if (!method.equals("GET")) {
      try (InputStream in = exchange.getRequestBody()) {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
          refuse(exchange, 413, "payload_too_large", "At most " + MAX_BODY + " bytes.");
          return;
        }
        body = new String(bytes, StandardCharsets.UTF_8);
      }
    }
    AdminClient.Response r;
    try {
      r = client.exchange(method, "/admin/" + rest + (query == null ? "" : "?" + query), body);
    } catch (RelayException e) {
      refuse(exchange, 502, "unreachable", e.getMessage());
      return;
    }
    for (String name : List.of("content-type", "content-disposition")) {
      List<String> values = r.headers().get(name);
      if (values != null && !values.isEmpty()) {
        exchange.getResponseHeaders().set(name, values.get(0));
      }
    }
    send(exchange, r.status(), r.body() == null ? new byte[0] : r.body().getBytes(StandardCharsets.UTF_8));
  }

  private boolean hasSession(List<String> cookieHeaders) {
    if (cookieHeaders == null) {
      return false;
    }
    for (String header : cookieHeaders) {
      for (String pair : header.split(";")) {
        String p = pair.trim();
        if (p.startsWith(COOKIE + "=") && sameSecret(p.substring(COOKIE.length() + 1), session)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The raw {@code session} parameter (base64url needs no decoding), or null. */
  private static String sessionParameter(String query) {
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("session=")) {
          return pair.substring("session=".length());
        }
      }
    }
    return null;
  }

  private boolean isOwn(String host) {
    return host.equals("127.0.0.1:" + port) || host.equals("localhost:" + port);
  }

  private boolean isOwnOrigin(String origin) {
    return origin.equals("http://127.0.0.1:" + port) || origin.equals("http://localhost:" + port);
  }

  private void resource(HttpExchange exchange, String name) throws IOException {
    try (InputStream in = ConsoleServer.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        refuse(exchange, 404, "not_found", "No such asset.");
        return;
      }
      String ext = name.substring(name.lastIndexOf('.') + 1);
      exchange.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
      send(exchange, 200, in.readAllBytes());
    }
  }

  private static void refuse(HttpExchange exchange, int status, String error, String message) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    String body = "{\"error\":\"" + error + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\"}";
    send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static boolean sameSecret(String given, String expected) {
    return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  /** A bundled library's version, as the build wrote it into {@code console/vendor.properties}. */
  private static String vendorVersion(String name) {
    Properties p = new Properties();
    try (InputStream in = ConsoleServer.class.getClassLoader().getResourceAsStream("console/vendor.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read console/vendor.properties", e);
    }
    String version = p.getProperty(name);
    if (version == null || version.startsWith("$")) {
      throw new IllegalStateException("console/vendor.properties names no version of " + name);
    }
    return version;
  }
}
