package dev.postbackrelay.localruntime.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The gateway's HTTP/1.1 front end on 127.0.0.1, as lenient and as strict as API Gateway's: a
 * request target is taken as sent (raw {@code { } | ^ ` [ ] " < >} in a query string are fine, as
 * they are for API Gateway, where the JDK's server refuses them with an HTML 400), a body over
 * {@link #MAX_BODY_BYTES} is a 413 and a request line or header section that cannot be parsed a
 * 400, both in JSON, answered before the connection is closed gracefully rather than reset.
 * Keep-alive, {@code Expect: 100-continue} and chunked bodies work as clients expect.
 */
final class GatewayServer implements AutoCloseable {

  /** API Gateway HTTP APIs' payload limit: 10 MB. */
  static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
  /** API Gateway HTTP APIs' limit on the request line and headers together. */
  static final int MAX_HEAD_BYTES = 10_240;

  private static final System.Logger LOG = System.getLogger(GatewayServer.class.getName());
  private static final int IDLE_TIMEOUT_MS = 60_000;
  private static final int DRAIN_MS = 1_000;
  private static final Set<String> METHOD_WITHOUT_BODY_ANSWER = Set.of("HEAD");
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

  private final ServerSocket listener;
  private final Function<HttpApiRequest, GatewayResponse> handler;
  private final Semaphore serving;
  private final ExecutorService connections;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;

  /**
   * @param port 0 for a free one
   * @param concurrency how many requests are served at once; further ones wait their turn
   */
  GatewayServer(int port, int concurrency, Function<HttpApiRequest, GatewayResponse> handler) throws IOException {
    this.listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    this.handler = handler;
    this.serving = new Semaphore(concurrency);
    AtomicInteger count = new AtomicInteger();
    this.connections = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "api-gateway-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  int port() {
    return listener.getLocalPort();
  }

  void start() {
    Thread accept = new Thread(this::acceptLoop, "api-gateway-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /**
   * The first half of a graceful stop: new connections are refused and new requests on open ones
   * answered 503; returns once the requests being served have been answered, or after {@code wait}.
   * {@link #close()} then drops the connections.
   *
   * @return whether every request in flight was answered in time
   */
  boolean drain(Duration wait) {
    draining = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // refusing anyway
    }
    long end = System.nanoTime() + wait.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < end) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return inFlight.get() == 0;
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    open.forEach(GatewayServer::closeQuietly);
    connections.shutdownNow();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket socket = listener.accept();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(IDLE_TIMEOUT_MS);
        open.add(socket);
        connections.execute(() -> serveConnection(socket));
      } catch (IOException e) {
        if (!listener.isClosed()) {
          LOG.log(System.Logger.Level.WARNING, "accept failed: {0}", e.getMessage());
        }
      }
    }
  }

  private void serveConnection(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (true) {
        Head head;
        try {
          head = Head.read(in);
        } catch (Refusal r) {
          refuse(socket, out, r.response);
          return;
        }
        if (head == null) {
          return;
        }
        byte[] body;
        try {
          body = readBody(head, in, out);
        } catch (Refusal r) {
          refuse(socket, out, r.response);
          return;
        }
        GatewayResponse response = serve(new HttpApiRequest(head.method, head.rawPath, head.rawQuery, head.headers, body,
            socket.getInetAddress().getHostAddress(), socket.getLocalPort(), head.version));
        boolean keepAlive = head.keepAlive();
        write(out, response, head.method, !keepAlive);
        if (!keepAlive) {
          return;
        }
      }
    } catch (SocketTimeoutException idle) {
      // an idle keep-alive connection: close it
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "connection ended: {0}", e.getMessage());
    } finally {
      open.remove(socket);
    }
  }

  private GatewayResponse serve(HttpApiRequest request) {
    if (draining) {
      return GatewayResponse.serviceUnavailable();
    }
    inFlight.incrementAndGet();
    try {
      return serveAtMostConcurrently(request);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private GatewayResponse serveAtMostConcurrently(HttpApiRequest request) {
    try {
      serving.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return GatewayResponse.serviceUnavailable();
    }
    try {
      return handler.apply(request);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "gateway failure on " + request.method() + " " + request.rawPath(), e);
      return GatewayResponse.internalServerError();
    } finally {
      serving.release();
    }
  }

  private static byte[] readBody(Head head, InputStream in, OutputStream out) throws IOException {
    String transferEncoding = head.header("transfer-encoding");
    String contentLength = head.header("content-length");
    if (transferEncoding != null && contentLength != null) {
      throw Refusal.badRequest("Send either Content-Length or Transfer-Encoding, not both.");
    }
    if (transferEncoding != null) {
      if (!transferEncoding.trim().equalsIgnoreCase("chunked")) {
        throw new Refusal(GatewayResponse.error(501, "not_implemented", "Only the chunked transfer coding is supported."));
      }
      continueIfAsked(head, out);
      return readChunked(in);
    }
    if (contentLength == null) {
      return new byte[0];
    }
    long length;
    try {
      length = Long.parseLong(contentLength.trim());
    } catch (NumberFormatException e) {
      throw Refusal.badRequest("Content-Length is not a number.");
    }
    if (length < 0) {
      throw Refusal.badRequest("Content-Length is negative.");
    }
    if (length > MAX_BODY_BYTES) {
      throw Refusal.tooLarge();
    }
    continueIfAsked(head, out);
    byte[] body = in.readNBytes((int) length);
    if (body.length < length) {
      throw new IOException("the client closed the connection inside the body");
    }
    return body;
  }

  private static void continueIfAsked(Head head, OutputStream out) throws IOException {
    String expect = head.header("expect");
    if (expect != null && expect.trim().equalsIgnoreCase("100-continue") && head.version.equals("HTTP/1.1")) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = Head.line(in, 1024);
      if (sizeLine == null) {
        throw new IOException("the client closed the connection inside a chunked body");
      }
      String hex = sizeLine.split(";", 2)[0].trim();
      int size;
      try {
        size = Integer.parseInt(hex, 16);
      } catch (NumberFormatException e) {
        throw Refusal.badRequest("A chunk size is not a hexadecimal number.");
      }
      if (size < 0 || body.size() + (long) size > MAX_BODY_BYTES) {
        throw Refusal.tooLarge();
      }
      if (size == 0) {
        for (String trailer; (trailer = Head.line(in, MAX_HEAD_BYTES)) != null && !trailer.isEmpty(); ) {
          // trailers are dropped, as API Gateway does
        }
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length < size) {
        throw new IOException("the client closed the connection inside a chunk");
      }
      body.write(chunk);
      String end = Head.line(in, 2);
      if (end == null || !end.isEmpty()) {
        throw Refusal.badRequest("A chunk does not end with CRLF.");
      }
    }
  }

  /** Answers {@code response} and closes without a reset: stop writing, drain what the client still sends. */
  private static void refuse(Socket socket, OutputStream out, GatewayResponse response) {
    try {
      write(out, response, "GET", true);
      socket.shutdownOutput();
      socket.setSoTimeout(DRAIN_MS);
      InputStream in = socket.getInputStream();
      byte[] sink = new byte[64 * 1024];
      long deadline = System.nanoTime() + DRAIN_MS * 1_000_000L;
      while (System.nanoTime() < deadline && in.read(sink) >= 0) {
        // discard the rest of a refused request so that closing does not reset the connection
      }
    } catch (IOException ignored) {
      // the client went away first
    }
  }

  private static void write(OutputStream out, GatewayResponse response, String method, boolean close) throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.status()).append(' ')
        .append(reasonPhrase(response.status())).append("\r\n");
    boolean hasDate = false;
    for (Map.Entry<String, List<String>> header : response.headers().entrySet()) {
      String name = header.getKey();
      if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("connection")
          || name.equalsIgnoreCase("transfer-encoding")) {
        continue;
      }
      hasDate |= name.equalsIgnoreCase("date");
      for (String value : header.getValue()) {
        head.append(name).append(": ").append(value.replace("\r", "").replace("\n", "")).append("\r\n");
      }
    }
    if (!hasDate) {
      head.append("date: ").append(HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
    }
    byte[] body = response.body();
    int status = response.status();
    boolean bodyless = status == 204 || status == 304;
    if (!bodyless) {
      head.append("content-length: ").append(body.length).append("\r\n");
    }
    if (close) {
      head.append("connection: close\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.UTF_8));
    if (!bodyless && !METHOD_WITHOUT_BODY_ANSWER.contains(method)) {
      out.write(body);
    }
    out.flush();
  }

  private static String reasonPhrase(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 303 -> "See Other";
      case 304 -> "Not Modified";
      case 307 -> "Temporary Redirect";
      case 308 -> "Permanent Redirect";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Request Entity Too Large";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Entity";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Status " + status;
    };
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  /** A request the gateway answers itself, before any function runs. */
  private static final class Refusal extends IOException {
    final transient GatewayResponse response;

    Refusal(GatewayResponse response) {
      super(new String(response.body(), StandardCharsets.UTF_8));
      this.response = response;
    }

    static Refusal badRequest(String message) {
      return new Refusal(GatewayResponse.error(400, "bad_request", message));
    }

    static Refusal tooLarge() {
      return new Refusal(GatewayResponse.error(413, "payload_too_large",
          "The request body is larger than API Gateway's 10 MB limit."));
    }
  }

  /** The request line and headers of one request. */
  private record Head(String method, String rawPath, String rawQuery, String version,
      Map<String, List<String>> headers) {

    /** The next request's head, or null when the client closed the connection between requests. */
    static Head read(InputStream in) throws IOException {
      int[] budget = {MAX_HEAD_BYTES};
      String requestLine;
      do {
        requestLine = line(in, budget[0]);
        if (requestLine == null) {
          return null;
        }
      } while (requestLine.isEmpty());
      budget[0] -= requestLine.length() + 2;
      String[] parts = requestLine.split(" ", -1);
      if (parts.length != 3 || !parts[0].matches("[A-Z]{1,16}") || parts[1].isEmpty()
          || !parts[2].matches("HTTP/1\\.[01]") || hasControl(parts[1])) {
        throw Refusal.badRequest("The request line is not `METHOD /path?query HTTP/1.1`.");
      }
      String target = parts[1];
      if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
        int slash = target.indexOf('/', target.indexOf("//") + 2);
        target = slash < 0 ? "/" : target.substring(slash);
      }
      if (!target.startsWith("/")) {
        throw Refusal.badRequest("The request target must start with /.");
      }
      int fragment = target.indexOf('#');
      if (fragment >= 0) {
        target = target.substring(0, fragment);
      }
      int q = target.indexOf('?');
      String rawPath = q < 0 ? target : target.substring(0, q);
      String rawQuery = q < 0 ? null : target.substring(q + 1);

      Map<String, List<String>> headers = new LinkedHashMap<>();
      while (true) {
        String line = line(in, budget[0]);
        if (line == null) {
          throw new IOException("the client closed the connection inside the headers");
        }
        if (line.isEmpty()) {
          break;
        }
        budget[0] -= line.length() + 2;
        int colon = line.indexOf(':');
        if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t'
            || !line.substring(0, colon).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
          throw Refusal.badRequest("A header line is not `Name: value`.");
        }
        headers.computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>())
            .add(line.substring(colon + 1).trim());
      }
      return new Head(parts[0], rawPath, rawQuery, parts[2], headers);
    }

    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
    }

    boolean keepAlive() {
      String connection = header("connection");
      String value = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
      return version.equals("HTTP/1.1") ? !value.contains("close") : value.contains("keep-alive");
    }

    private static boolean hasControl(String text) {
      return text.chars().anyMatch(c -> c < 0x21 || c == 0x7f);
    }

    /**
     * One line without its CRLF (a bare LF is accepted), decoded as UTF-8; null at end of stream
     * before any byte.
     *
     * @throws Refusal the line is longer than {@code max} bytes
     */
    static String line(InputStream in, int max) throws IOException {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != '\n') {
        if (b < 0) {
          if (buffer.size() == 0) {
            return null;
          }
          throw new IOException("the client closed the connection inside a line");
        }
        if (buffer.size() >= max) {
          throw new Refusal(GatewayResponse.error(431, "request_header_fields_too_large",
              "The request line and headers are larger than API Gateway's 10240-byte limit."));
        }
        buffer.write(b);
      }
      byte[] bytes = buffer.toByteArray();
      int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
      return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
  }
}
