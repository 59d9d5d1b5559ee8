package dev.postbackrelay.lambda.forwarding;

import dev.postbackrelay.forwarding.OutboundRequest;
import dev.postbackrelay.net.OutboundGuard;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal HTTP/1.1 client that sends one {@link OutboundRequest} to an address the
 * {@link OutboundGuard} has already approved, and never resolves the URL's host itself.
 *
 * <p>Why not the JDK client: {@code java.net.http} resolves the host again when it connects, so a
 * DNS answer that changes between the guard's check and the connection (DNS rebinding) reaches an
 * address nobody checked. Here the TCP connection goes to exactly the approved address; the host
 * name is used only where HTTP and TLS need it: the {@code Host} header, SNI and the certificate
 * check ({@code HTTPS} endpoint identification against the default trust store).
 *
 * <p>Contract:
 * <ul>
 *   <li>one request per connection ({@code Connection: close}); redirects are never followed, a
 *       3xx comes back as {@code redirect_not_followed} with its {@code Location};
 *   <li>the connect time-out bounds the TCP connect; after it one deadline of the read time-out
 *       bounds everything else (TLS handshake, writing the request, reading the response head), so
 *       a server that trickles bytes or stops reading cannot hold the caller longer;
 *   <li>only the status line and headers are read (at most {@value #HEAD_LIMIT} bytes); the body
 *       is never read;
 *   <li>never throws for a partner's failure or for a request that cannot be sent safely: the
 *       {@link Result} says why;
 *   <li>headers are never logged (they can hold access tokens); a header whose name is not an
 *       HTTP token or whose value holds CR, LF or another control character refuses the whole
 *       request, so nothing can be smuggled into the request head. {@code Host},
 *       {@code Content-Length}, {@code Transfer-Encoding} and {@code Connection} in the request's
 *       headers are ignored: the client writes those itself.
 * </ul>
 *
 * <p>Thread-safe: no mutable state; each call has its own socket. The deadline is enforced by a
 * shared daemon timer that closes the call's socket when it passes.
 */
public final class PinnedHttpClient {

  /** The most bytes read for the response head (status line and headers, interim 1xx included). */
  static final int HEAD_LIMIT = 16 * 1024;
  /** The longest {@code Location} reported for a redirect. */
  static final int LOCATION_LIMIT = 512;

  private static final Set<String> FRAMING_HEADERS =
      Set.of("host", "content-length", "transfer-encoding", "connection");
  private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[0-9] ([1-5][0-9]{2})(?:[ \\t].*)?");

  /**
   * The outcome of one request.
   *
   * @param httpStatus the response status, 0 when no response arrived
   * @param latencyMillis from the start of the call to the response head (or the failure)
   * @param error null on 2xx; otherwise {@code http_<status>}, {@code redirect_not_followed},
   *     {@code timeout}, {@code connect_timeout}, {@code connect_refused}, {@code tls: <class>},
   *     {@code io: <class>}, {@code no_response}, {@code bad_response}, {@code head_too_large} or
   *     {@code invalid_request: <part>} (nothing was sent)
   * @param location for a 3xx, its {@code Location} header: non-printable and non-ASCII bytes
   *     percent-encoded, at most {@value #LOCATION_LIMIT} characters; otherwise null
   */
  /**
   * @param body the start of a 2xx response's body (at most {@value #BODY_LIMIT} bytes, as UTF-8),
   *     for APIs that report refusals inside a 200 (Google Ads' partial failures); null otherwise
   */
  public record Result(int httpStatus, long latencyMillis, String error, String location, String body) {

    public Result(int httpStatus, long latencyMillis, String error, String location) {
      this(httpStatus, latencyMillis, error, location, null);
    }
  }

  static final int BODY_LIMIT = 4096;

  /** A response head, and the body bytes that arrived with it. */
  private record Head(int status, byte[] buffer, int bodyFrom, int length) {}

  private final int connectMillis;
  private final long readNanos;
  private final SSLSocketFactory tlsSockets;

  public PinnedHttpClient(Duration connectTimeout, Duration readTimeout) {
    this(connectTimeout, readTimeout, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /** For tests: a socket factory from an {@code SSLContext} that trusts a test certificate. */
  PinnedHttpClient(Duration connectTimeout, Duration readTimeout, SSLSocketFactory tlsSockets) {
    if (connectTimeout.isNegative() || connectTimeout.isZero()
        || readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("Time-outs must be positive.");
    }
    this.connectMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
    this.readNanos = readTimeout.toNanos();
    this.tlsSockets = Objects.requireNonNull(tlsSockets);
  }

  /**
   * Sends {@code request} over a connection to {@code address}, never to whatever the URL's host
   * resolves to.
   *
   * @param address the address the {@link OutboundGuard} approved for the URL's host
   */
  public Result send(OutboundRequest request, InetAddress address) {
    Objects.requireNonNull(address);
    long start = System.nanoTime();
    Target target;
    byte[] head;
    try {
      target = Target.of(request.url());
      head = requestHead(request, target);
    } catch (Failure f) {
      return new Result(0, 0, f.code, null);
    }

    Socket raw = new Socket();
    try {
      raw.connect(new InetSocketAddress(address, target.port), connectMillis);
    } catch (SocketTimeoutException e) {
      return failed(start, raw, "connect_timeout");
    } catch (ConnectException e) {
      return failed(start, raw, "connect_refused");
    } catch (IOException e) {
      return failed(start, raw, "io: " + e.getClass().getSimpleName());
    }

    Deadline deadline = new Deadline(raw, readNanos);
    try {
      raw.setSoTimeout(deadline.remainingMillis());
      Socket socket = target.tls ? startTls(raw, target, deadline) : raw;
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
      out.write(head);
      out.write(request.body());
      out.flush();
      Head response = readHead(socket, deadline);
      int status = response.status();
      if (status >= 200 && status < 300) {
        String body = readBodyStart(socket, deadline, response);
        return new Result(status, (System.nanoTime() - start) / 1_000_000, null, null, body);
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      return new Result(status, millis, "http_" + status, null);
    } catch (Redirect r) {
      return new Result(r.status, (System.nanoTime() - start) / 1_000_000, "redirect_not_followed",
          r.location);
    } catch (Failure f) {
      return new Result(0, (System.nanoTime() - start) / 1_000_000, f.code, null);
    } catch (IOException e) {
      return new Result(0, (System.nanoTime() - start) / 1_000_000, cause(e, deadline), null);
    } finally {
      deadline.cancel();
      closeQuietly(raw); // also ends a TLS layer without writing to a peer that may not read
    }
  }

  private static Result failed(long start, Socket raw, String error) {
    closeQuietly(raw);
    return new Result(0, (System.nanoTime() - start) / 1_000_000, error, null);
  }

  private static String cause(IOException e, Deadline deadline) {
    if (deadline.expired() || e instanceof SocketTimeoutException
        || e.getCause() instanceof SocketTimeoutException) {
      return "timeout";
    }
    if (e instanceof SSLException) {
      return "tls: " + e.getClass().getSimpleName();
    }
    return "io: " + e.getClass().getSimpleName();
  }

  private SSLSocket startTls(Socket raw, Target target, Deadline deadline) throws IOException {
    SSLSocket tls = (SSLSocket) tlsSockets.createSocket(raw, target.tlsHost, target.port, true);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (target.sni != null) {
      parameters.setServerNames(List.of(target.sni));
    }
    tls.setSSLParameters(parameters);
    tls.setSoTimeout(deadline.remainingMillis());
    tls.startHandshake();
    return tls;
  }

  private static byte[] requestHead(OutboundRequest request, Target target) throws Failure {
    String method = request.method();
    if (method == null || !TOKEN.matcher(method).matches()) {
      throw new Failure("invalid_request: method");
    }
    StringBuilder head = new StringBuilder(256)
        .append(method).append(' ').append(target.requestTarget).append(" HTTP/1.1\r\n")
        .append("Host: ").append(target.hostHeader).append("\r\n");
    for (Map.Entry<String, String> header : new TreeMap<>(request.headers()).entrySet()) {
      String name = header.getKey();
      String value = header.getValue();
      if (!TOKEN.matcher(name).matches() || !isSafeValue(value)) {
        throw new Failure("invalid_request: header");
      }
      if (!FRAMING_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        head.append(name).append(": ").append(value.strip()).append("\r\n");
      }
    }
    if (request.body().length > 0 || METHODS_WITH_BODY.contains(method)) {
      head.append("Content-Length: ").append(request.body().length).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    return head.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Visible characters, spaces and tabs of ISO-8859-1; no CR, LF or other control. */
  private static boolean isSafeValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\t' && (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c > 0xff)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads response heads until a final one (interim 1xx are skipped) and returns its status.
   *
   * @throws Redirect for a 3xx
   */
  /**
   * Reads on from the head until {@value #BODY_LIMIT} bytes, the end of the response (we asked for
   * {@code Connection: close}) or the deadline; a slow body never turns a 2xx into a failure.
   */
  private static String readBodyStart(Socket socket, Deadline deadline, Head head) {
    byte[] body = new byte[BODY_LIMIT];
    int length = Math.min(BODY_LIMIT, head.length() - head.bodyFrom());
    System.arraycopy(head.buffer(), head.bodyFrom(), body, 0, length);
    try {
      InputStream in = socket.getInputStream();
      while (length < BODY_LIMIT && deadline.remainingMillis() > 0) {
        socket.setSoTimeout(deadline.remainingMillis());
        int read = in.read(body, length, BODY_LIMIT - length);
        if (read < 0) {
          break;
        }
        length += read;
      }
    } catch (IOException | RuntimeException endOfWhatWeWait) {
      // what arrived is enough
    }
    return new String(body, 0, length, StandardCharsets.UTF_8);
  }

  private static Head readHead(Socket socket, Deadline deadline) throws IOException, Failure {
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[HEAD_LIMIT];
    int length = 0;
    int headStart = 0;
    int scanFrom = 0;
    while (true) {
      int headEnd = headEnd(buffer, scanFrom, length);
      if (headEnd >= 0) {
        String[] lines = new String(buffer, headStart, headEnd - headStart, StandardCharsets.ISO_8859_1)
            .split("\r?\n");
        Matcher statusLine = STATUS_LINE.matcher(lines[0]);
        if (!statusLine.matches()) {
          throw new Failure("bad_response");
        }
        int status = Integer.parseInt(statusLine.group(1));
        if (status >= 100 && status < 200 && status != 101) {
          headStart = headEnd;
          scanFrom = headEnd;
          continue;
        }
        if (status >= 300 && status < 400) {
          throw new Redirect(status, location(lines));
        }
        return new Head(status, buffer, headEnd, length);
      }
      scanFrom = Math.max(headStart, length - 2);
      if (length == buffer.length) {
        throw new Failure("head_too_large");
      }
      socket.setSoTimeout(deadline.remainingMillis());
      int read = in.read(buffer, length, buffer.length - length);
      if (read < 0) {
        throw new Failure(length == headStart ? "no_response" : "bad_response");
      }
      length += read;
    }
  }

  /** The index just past the blank line that ends a head, or -1; accepts CRLF and bare LF. */
  private static int headEnd(byte[] buffer, int from, int length) {
    for (int i = from; i < length; i++) {
      if (buffer[i] == '\n') {
        if (i + 1 < length && buffer[i + 1] == '\n') {
          return i + 2;
        }
        if (i + 2 < length && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
          return i + 3;
        }
      }
    }
    return -1;
  }

  private static String location(String[] lines) {
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0 && lines[i].substring(0, colon).strip().equalsIgnoreCase("location")) {
        return sanitise(lines[i].substring(colon + 1).strip());
      }
    }
    return null;
  }

  /** Percent-encodes every byte outside printable ASCII, then cuts to {@link #LOCATION_LIMIT}. */
  static String sanitise(String isoLatin1) {
    StringBuilder out = new StringBuilder(Math.min(isoLatin1.length(), LOCATION_LIMIT));
    for (int i = 0; i < isoLatin1.length(); i++) {
      char c = isoLatin1.charAt(i);
      boolean printable = c > 0x20 && c < 0x7f;
      if (out.length() + (printable ? 1 : 3) > LOCATION_LIMIT) {
        break; // never a cut escape
      }
      if (printable) {
        out.append(c);
      } else {
        out.append('%').append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing left to do with a socket that will not close
    }
  }

  /** Where the request goes, derived once from the URL; never resolved. */
  private record Target(boolean tls, String tlsHost, SNIHostName sni, int port, String hostHeader,
      String requestTarget) {

    static Target of(URI url) throws Failure {
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new Failure("invalid_request: scheme");
      }
      String host = url.getHost();
      if (host == null || host.isEmpty() || url.getRawUserInfo() != null) {
        throw new Failure("invalid_request: host");
      }
      boolean tls = scheme.equals("https");
      int defaultPort = tls ? 443 : 80;
      int port = url.getPort() == -1 ? defaultPort : url.getPort();
      if (port < 1 || port > 65535) {
        throw new Failure("invalid_request: port");
      }
      boolean ipv6 = host.startsWith("[");
      String bareHost = ipv6 ? host.substring(1, host.length() - 1) : host;
      if (bareHost.endsWith(".")) {
        bareHost = bareHost.substring(0, bareHost.length() - 1);
      }
      SNIHostName sni = null;
      if (tls && !ipv6 && !IPV4_LITERAL.matcher(bareHost).matches()) {
        try {
          sni = new SNIHostName(bareHost);
        } catch (IllegalArgumentException e) {
          throw new Failure("invalid_request: host");
        }
      }
      String hostHeader = port == defaultPort ? host : host + ":" + port;
      URI ascii = URI.create(url.toASCIIString());
      String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
      String requestTarget = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
      for (int i = 0; i < requestTarget.length(); i++) {
        char c = requestTarget.charAt(i);
        if (c <= 0x20 || c >= 0x7f) {
          throw new Failure("invalid_request: target");
        }
      }
      if (!isSafeValue(hostHeader)) {
        throw new Failure("invalid_request: host");
      }
      return new Target(tls, bareHost, sni, port, hostHeader, requestTarget);
    }
  }

  /**
   * The overall deadline of one call after its connect: per-read socket time-outs shrink towards
   * it, and a timer closes the socket when it passes, which also ends a stalled TLS handshake or a
   * write to a peer that stopped reading.
   */
  private static final class Deadline {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final long at;
    private final AtomicBoolean expired = new AtomicBoolean();
    private final ScheduledFuture<?> closer;

    Deadline(Socket raw, long nanos) {
      this.at = System.nanoTime() + nanos;
      this.closer = TIMER.schedule(() -> {
        expired.set(true);
        closeQuietly(raw);
      }, nanos, TimeUnit.NANOSECONDS);
    }

    /** Milliseconds left, at least 1 (0 would mean "wait forever" to a socket). */
    int remainingMillis() throws SocketTimeoutException {
      long left = at - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("deadline passed");
      }
      return (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    }

    boolean expired() {
      return expired.get();
    }

    void cancel() {
      closer.cancel(false);
    }

    private static ScheduledThreadPoolExecutor timer() {
      ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "pinned-http-deadline");
        thread.setDaemon(true);
        return thread;
      });
      timer.setRemoveOnCancelPolicy(true);
      return timer;
    }
  }

  /** A failure found by this client itself; {@code code} is the {@link Result#error()}. */
  private static class Failure extends Exception {
    final String code;

    Failure(String code) {
      super(code, null, false, false);
      this.code = code;
    }
  }

  private static final class Redirect extends Failure {
    final int status;
    final String location;

    Redirect(int status, String location) {
      super("redirect_not_followed");
      this.status = status;
      this.location = location;
    }
  }
}
