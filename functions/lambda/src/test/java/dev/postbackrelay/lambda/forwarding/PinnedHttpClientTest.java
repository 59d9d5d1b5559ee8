package dev.postbackrelay.lambda.forwarding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.postbackrelay.forwarding.OutboundRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real servers on the loopback interface stand in for partners; nothing is mocked. */
@Timeout(value = 5, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PinnedHttpClientTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Duration CONNECT = Duration.ofSeconds(1);

  private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeServers() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  @Test
  void success_sendsExactRequestLineHeadersAndBody_toThePinnedAddress() throws Exception {
    Server partner = server(respond("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    byte[] body = "{\"payout\":\"1.50\"}".getBytes(StandardCharsets.UTF_8);

    PinnedHttpClient.Result result = client(Duration.ofSeconds(2)).send(new OutboundRequest("POST",
        URI.create("http://partner.invalid:" + partner.port() + "/pb/conv?click_id=c1&sub=a%20b#frag"),
        Map.of("Idempotency-Key", "del-42", "Content-Type", "application/json",
            "Host", "attacker.example", "Content-Length", "999"),
        body), LOOPBACK);

    assertEquals(new PinnedHttpClient.Result(200, result.latencyMillis(), null, null, "ok"), result,
        "a 2xx carries the start of its body");
    assertTrue(result.latencyMillis() >= 0);
    Received request = partner.next();
    assertEquals("POST /pb/conv?click_id=c1&sub=a%20b HTTP/1.1", request.requestLine());
    assertEquals(List.of("partner.invalid:" + partner.port()), request.header("host"));
    assertEquals(List.of(String.valueOf(body.length)), request.header("content-length"));
    assertEquals(List.of("del-42"), request.header("idempotency-key"));
    assertEquals(List.of("application/json"), request.header("content-type"));
    assertEquals(List.of("close"), request.header("connection"));
    assertEquals(List.of(), request.header("transfer-encoding"));
    assertArrayEquals(body, request.body());
  }

  @Test
  void get_withoutBody_sendsNoContentLength_andAnEmptyPathAsSlash() throws Exception {
    Server partner = server(respond("HTTP/1.1 204 No Content\r\n\r\n"));

    PinnedHttpClient.Result result = client(Duration.ofSeconds(2)).send(new OutboundRequest("GET",
        URI.create("http://partner.invalid:" + partner.port()), Map.of(), null), LOOPBACK);

    assertEquals(204, result.httpStatus());
    assertNull(result.error());
    Received request = partner.next();
    assertEquals("GET / HTTP/1.1", request.requestLine());
    assertEquals(List.of(), request.header("content-length"));
  }

  @Test
  void postWithoutBody_sendsContentLengthZero() throws Exception {
    Server partner = server(respond("HTTP/1.1 200 OK\r\n\r\n"));

    client(Duration.ofSeconds(2)).send(new OutboundRequest("POST",
        URI.create("http://partner.invalid:" + partner.port() + "/pb"), Map.of(), null), LOOPBACK);

    assertEquals(List.of("0"), partner.next().header("content-length"));
  }

  @Test
  void hostNameInUrl_isNeverResolved_theConnectionGoesToTheApprovedAddress() throws Exception {
    // .invalid never resolves (RFC 6761): reaching the server at all proves no lookup happened
    Server partner = server(respond("HTTP/1.1 200 OK\r\n\r\n"));

    PinnedHttpClient.Result result = client(Duration.ofSeconds(2)).send(new OutboundRequest("GET",
        URI.create("http://partner.invalid:" + partner.port() + "/pb"), Map.of(), null), LOOPBACK);

    assertEquals(200, result.httpStatus());
    assertEquals(1, partner.connections());
  }

  @Test
  void ipLiteralInUrl_isIgnoredForTheConnection_onlyTheApprovedAddressCounts() throws Exception {
    // the URL names 127.0.0.1 but the guard approved 127.0.0.2; nothing listens on 127.0.0.1
    InetAddress approved = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
    ServerSocket socket = new ServerSocket();
    try {
      socket.bind(new InetSocketAddress(approved, 0));
    } catch (IOException e) {
      socket.close();
      assumeTrue(false, "127.0.0.2 cannot be bound here: " + e);
    }
    Server partner = server(socket, respond("HTTP/1.1 200 OK\r\n\r\n"));

    PinnedHttpClient.Result result = client(Duration.ofSeconds(2)).send(new OutboundRequest("GET",
        URI.create("http://127.0.0.1:" + partner.port() + "/pb"), Map.of(), null), approved);

    assertEquals(200, result.httpStatus());
    assertEquals(List.of("127.0.0.1:" + partner.port()), partner.next().header("host"));
  }

  @Test
  void serverError_isReportedAsHttpStatus() throws Exception {
    Server partner = server(respond("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops"));

    PinnedHttpClient.Result result = get(partner, Duration.ofSeconds(2));

    assertEquals(500, result.httpStatus());
    assertEquals("http_500", result.error());
    assertNull(result.location());
  }

  @Test
  void redirect_isNotFollowed_andItsLocationIsReported() throws Exception {
    Server partner = server((connection, self) -> {
      self.read(connection);
      write(connection, "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:" + self.port()
          + "/second\r\nContent-Length: 0\r\n\r\n");
    });

    PinnedHttpClient.Result result = get(partner, Duration.ofSeconds(2));

    assertEquals(302, result.httpStatus());
    assertEquals("redirect_not_followed", result.error());
    assertEquals("http://127.0.0.1:" + partner.port() + "/second", result.location());
    partner.settle();
    assertEquals(1, partner.connections());
  }

  @Test
  void redirectLocation_isSanitisedAndCappedAt512Characters() throws Exception {
    String location = "https://x.example/\u00e9 a\u0001" + "y".repeat(600);
    Server partner = server((connection, self) -> {
      self.read(connection);
      OutputStream out = connection.getOutputStream();
      out.write("HTTP/1.1 301 Moved\r\nlocation:  ".getBytes(StandardCharsets.US_ASCII));
      out.write(location.getBytes(StandardCharsets.UTF_8));
      out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    });

    PinnedHttpClient.Result result = get(partner, Duration.ofSeconds(2));

    assertEquals("redirect_not_followed", result.error());
    assertEquals(512, result.location().length());
    assertTrue(result.location().startsWith("https://x.example/%C3%A9%20a%01yyy"), result.location());
  }

  @Test
  void interimResponses_areSkipped() throws Exception {
    Server partner = server(respond("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n"
        + "Link: </a>\r\n\r\nHTTP/1.1 202 Accepted\r\n\r\n"));

    assertEquals(new PinnedHttpClient.Result(202, 0, null, null),
        withoutLatency(get(partner, Duration.ofSeconds(2))));
  }

  @Test
  void serverThatNeverAnswers_timesOutAfterTheReadTimeout() throws Exception {
    Server partner = server((connection, self) -> {
      self.read(connection);
      connection.getInputStream().read(); // holds the connection until the client gives up
    });

    long start = System.nanoTime();
    PinnedHttpClient.Result result = get(partner, Duration.ofMillis(500));
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals(0, result.httpStatus());
    assertEquals("timeout", result.error());
    assertTrue(elapsed >= 450 && elapsed < 1500, "took " + elapsed + " ms");
  }

  @Test
  void serverThatTricklesBytes_timesOutAtTheOverallDeadline() throws Exception {
    AtomicInteger trickled = new AtomicInteger();
    Server partner = server((connection, self) -> {
      self.read(connection);
      OutputStream out = connection.getOutputStream();
      byte[] head = ("HTTP/1.1 200 OK\r\nX-Slow: " + "a".repeat(200)).getBytes(StandardCharsets.US_ASCII);
      for (byte b : head) {
        out.write(b);
        out.flush();
        trickled.incrementAndGet();
        Thread.sleep(200); // each byte well within the socket time-out
      }
    });

    long start = System.nanoTime();
    PinnedHttpClient.Result result = get(partner, Duration.ofMillis(1000));
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals("timeout", result.error());
    assertTrue(elapsed >= 950 && elapsed < 1600, "took " + elapsed + " ms");
    assertTrue(trickled.get() >= 4, "the server trickled " + trickled.get() + " bytes");
  }

  @Test
  void serverThatStopsReading_cannotBlockALargeWritePastTheDeadline() throws Exception {
    ServerSocket socket = new ServerSocket();
    socket.setReceiveBufferSize(4096); // accepted connections inherit it: the write must stall
    socket.bind(new InetSocketAddress(LOOPBACK, 0));
    Server partner = server(socket, (connection, self) -> Thread.sleep(4000));

    long start = System.nanoTime();
    PinnedHttpClient.Result result = client(Duration.ofMillis(500)).send(new OutboundRequest("POST",
        URI.create("http://partner.invalid:" + partner.port() + "/pb"), Map.of(),
        new byte[16 * 1024 * 1024]), LOOPBACK);
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals("timeout", result.error());
    assertTrue(elapsed < 1500, "took " + elapsed + " ms");
  }

  @Test
  void closedPort_isReportedAsConnectRefused() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
      port = socket.getLocalPort();
    }

    PinnedHttpClient.Result result = client(Duration.ofSeconds(1)).send(new OutboundRequest("GET",
        URI.create("http://partner.invalid:" + port + "/pb"), Map.of(), null), LOOPBACK);

    assertEquals(0, result.httpStatus());
    assertEquals("connect_refused", result.error());
  }

  @Test
  void serverThatClosesWithoutAnswering_isNoResponse() throws Exception {
    Server partner = server((connection, self) -> self.read(connection));

    assertEquals("no_response", get(partner, Duration.ofSeconds(2)).error());
  }

  @Test
  void garbageOrOversizedHead_isABadResponse() throws Exception {
    Server garbage = server(respond("SSH-2.0-OpenSSH_9.6\r\n\r\n"));
    Server huge = server(respond("HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n"));

    assertEquals("bad_response", get(garbage, Duration.ofSeconds(2)).error());
    assertEquals("head_too_large", get(huge, Duration.ofSeconds(2)).error());
  }

  @Test
  void headerInjection_refusesTheRequest_soNothingReachesThePartner() throws Exception {
    Server partner = server(respond("HTTP/1.1 200 OK\r\n\r\n"));
    URI url = URI.create("http://partner.invalid:" + partner.port() + "/pb");
    PinnedHttpClient client = client(Duration.ofSeconds(2));

    PinnedHttpClient.Result inValue = client.send(new OutboundRequest("GET", url,
        Map.of("Idempotency-Key", "k1\r\nX-Injected: yes"), null), LOOPBACK);
    PinnedHttpClient.Result inBareLf = client.send(new OutboundRequest("GET", url,
        Map.of("X-Token", "t\nX-Injected: yes"), null), LOOPBACK);
    PinnedHttpClient.Result inName = client.send(new OutboundRequest("GET", url,
        Map.of("X-Evil\r\nX-Injected", "yes"), null), LOOPBACK);

    for (PinnedHttpClient.Result result : List.of(inValue, inBareLf, inName)) {
      assertEquals(new PinnedHttpClient.Result(0, 0, "invalid_request: header", null), result);
    }
    partner.settle();
    assertEquals(0, partner.connections());
  }

  @Test
  void nonHttpScheme_isRefusedWithoutConnecting() {
    PinnedHttpClient.Result result = client(Duration.ofSeconds(1)).send(new OutboundRequest("GET",
        URI.create("ftp://partner.invalid/pb"), Map.of(), null), LOOPBACK);

    assertEquals("invalid_request: scheme", result.error());
  }

  // --- https --------------------------------------------------------------------------------

  @Test
  void https_rightHostName_succeeds_withSniAndHostHeaderOfTheUrl() throws Exception {
    Tls tls = tls();
    AtomicReference<String> sni = new AtomicReference<>();
    Server partner = server(tls.serverSocket(sni), respond("HTTP/1.1 200 OK\r\n\r\n"));

    PinnedHttpClient.Result result = tls.client().send(new OutboundRequest("POST",
        URI.create("https://partner.test:" + partner.port() + "/pb?x=1"),
        Map.of("Idempotency-Key", "k1"), "a=1".getBytes(StandardCharsets.US_ASCII)), LOOPBACK);

    assertEquals(200, result.httpStatus(), String.valueOf(result.error()));
    assertNull(result.error());
    assertEquals("partner.test", sni.get());
    Received request = partner.next();
    assertEquals("POST /pb?x=1 HTTP/1.1", request.requestLine());
    assertEquals(List.of("partner.test:" + partner.port()), request.header("host"));
    assertEquals(List.of("k1"), request.header("idempotency-key"));
    assertArrayEquals("a=1".getBytes(StandardCharsets.US_ASCII), request.body());
  }

  @Test
  void https_hostNameNotInTheCertificate_failsWithATlsError() throws Exception {
    Tls tls = tls();
    Server partner = server(tls.serverSocket(new AtomicReference<>()), respond("HTTP/1.1 200 OK\r\n\r\n"));

    PinnedHttpClient.Result result = tls.client().send(new OutboundRequest("GET",
        URI.create("https://other.test:" + partner.port() + "/pb"), Map.of(), null), LOOPBACK);

    assertEquals(0, result.httpStatus());
    assertTrue(result.error().startsWith("tls: "), result.error());
    partner.settle();
    assertTrue(partner.received.isEmpty(), "no request may be sent over an unverified connection");
  }

  @Test
  void https_certificateNotInTheDefaultTrustStore_failsWithATlsError() throws Exception {
    Tls tls = tls();
    Server partner = server(tls.serverSocket(new AtomicReference<>()), respond("HTTP/1.1 200 OK\r\n\r\n"));

    PinnedHttpClient.Result result = new PinnedHttpClient(CONNECT, Duration.ofSeconds(2))
        .send(new OutboundRequest("GET", URI.create("https://partner.test:" + partner.port() + "/pb"),
            Map.of(), null), LOOPBACK);

    assertEquals(0, result.httpStatus());
    assertTrue(result.error().startsWith("tls: "), result.error());
  }

  @Test
  void https_serverThatNeverHandshakes_timesOutAtTheDeadline() throws Exception {
    Server partner = server((connection, self) -> connection.getInputStream().readAllBytes());

    long start = System.nanoTime();
    PinnedHttpClient.Result result = client(Duration.ofMillis(500)).send(new OutboundRequest("GET",
        URI.create("https://partner.test:" + partner.port() + "/pb"), Map.of(), null), LOOPBACK);
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals("timeout", result.error());
    assertTrue(elapsed >= 450 && elapsed < 1500, "took " + elapsed + " ms");
  }

  // --- helpers ------------------------------------------------------------------------------

  private static PinnedHttpClient client(Duration readTimeout) {
    return new PinnedHttpClient(CONNECT, readTimeout);
  }

  private static PinnedHttpClient.Result get(Server partner, Duration readTimeout) {
    return client(readTimeout).send(new OutboundRequest("GET",
        URI.create("http://partner.invalid:" + partner.port() + "/pb"), Map.of(), null), LOOPBACK);
  }

  private static PinnedHttpClient.Result withoutLatency(PinnedHttpClient.Result result) {
    return new PinnedHttpClient.Result(result.httpStatus(), 0, result.error(), result.location());
  }

  private Server server(Handler handler) throws IOException {
    return server(new ServerSocket(0, 50, LOOPBACK), handler);
  }

  private Server server(ServerSocket socket, Handler handler) {
    Server server = new Server(socket, handler);
    toClose.add(server);
    return server;
  }

  /** Reads the request, records it, answers with {@code response} and closes. */
  private static Handler respond(String response) {
    return (connection, self) -> {
      self.read(connection);
      write(connection, response);
    };
  }

  private static void write(Socket connection, String text) throws IOException {
    OutputStream out = connection.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @FunctionalInterface
  interface Handler {
    void handle(Socket connection, Server self) throws Exception;
  }

  /** What the partner saw: the head's lines and the body. */
  record Received(List<String> lines, byte[] body) {

    String requestLine() {
      return lines.get(0);
    }

    List<String> header(String name) {
      List<String> values = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).toLowerCase(Locale.ROOT).equals(name)) {
          values.add(line.substring(colon + 1).strip());
        }
      }
      return values;
    }
  }

  /** Reads one request head (up to the blank line) and a Content-Length body. */
  static Received readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed in the head");
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    List<String> lines = List.of(text.substring(0, text.length() - 4).split("\r\n", -1));
    Received headOnly = new Received(lines, new byte[0]);
    List<String> length = headOnly.header("content-length");
    byte[] body = in.readNBytes(length.isEmpty() ? 0 : Integer.parseInt(length.get(0)));
    return new Received(lines, body);
  }

  /**
   * A TCP (or TLS) server that runs {@code handler} for each connection on its own daemon thread
   * and records the requests its handlers {@link #read}.
   */
  static final class Server implements AutoCloseable {
    final ServerSocket socket;
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final AtomicInteger connections = new AtomicInteger();
    final List<Socket> accepted = new CopyOnWriteArrayList<>();
    /** Local ports of {@link #settle} probes not yet accepted. */
    private final Set<Integer> probes = ConcurrentHashMap.newKeySet();
    private final AtomicInteger serving = new AtomicInteger();

    Server(ServerSocket socket, Handler handler) {
      this.socket = socket;
      Thread acceptor = new Thread(() -> {
        while (!socket.isClosed()) {
          try {
            Socket connection = socket.accept();
            if (probes.remove(connection.getPort())) {
              connection.close();
              continue;
            }
            connections.incrementAndGet();
            accepted.add(connection);
            serving.incrementAndGet();
            Thread worker = new Thread(() -> serve(connection, handler), "partner-connection");
            worker.setDaemon(true);
            worker.start();
          } catch (IOException closed) {
            return;
          }
        }
      }, "partner-accept");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    private void serve(Socket connection, Handler handler) {
      try (connection) {
        handler.handle(connection, this);
      } catch (Exception ignored) {
        // the client went away (time-out tests, refused handshakes): nothing to serve
      } finally {
        serving.decrementAndGet();
      }
    }

    /**
     * Returns once the server has finished with every connection made before this call, so that a
     * test can assert that none was made or nothing was received: a probe connection queues behind
     * them, so once the acceptor has taken the probe it has taken them all, and then every handler
     * has returned. The probe is neither counted nor served. Bounded by two seconds.
     */
    void settle() throws IOException, InterruptedException {
      long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      try (Socket probe = new Socket()) {
        probe.bind(new InetSocketAddress(LOOPBACK, 0));
        probes.add(probe.getLocalPort());
        probe.connect(new InetSocketAddress(LOOPBACK, port()));
        while (probes.contains(probe.getLocalPort()) || serving.get() > 0) {
          if (System.nanoTime() > end) {
            throw new AssertionError("the partner did not settle: " + serving.get() + " connection(s) still served");
          }
          Thread.sleep(10);
        }
      }
    }

    /** Reads one request from {@code connection} and records it. */
    Received read(Socket connection) throws IOException {
      Received request = readRequest(connection.getInputStream());
      received.add(request);
      return request;
    }

    int port() {
      return socket.getLocalPort();
    }

    int connections() {
      return connections.get();
    }

    Received next() throws InterruptedException {
      Received request = received.poll(2, TimeUnit.SECONDS);
      if (request == null) {
        throw new AssertionError("the partner received no request");
      }
      return request;
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket connection : accepted) {
        connection.close();
      }
    }
  }

  // --- TLS material, generated once with the JDK's keytool ----------------------------------

  private static final char[] PASSWORD = "changeit".toCharArray();
  /** A {@link Tls}, or why there is none. */
  private static Object tlsMaterial;

  /** Outside the per-test time limit: keytool takes a second or two. */
  @BeforeAll
  static void generateTlsMaterial() {
    try {
      tlsMaterial = generateTls();
    } catch (Exception e) {
      tlsMaterial = e.toString();
    }
  }

  /** A self-signed certificate for partner.test only; the test is skipped without keytool. */
  private static Tls tls() {
    assumeTrue(tlsMaterial instanceof Tls, () -> "keytool is not usable: " + tlsMaterial);
    return (Tls) tlsMaterial;
  }

  private static Object generateTls() throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    if (!Files.isExecutable(keytool)) {
      return "no " + keytool;
    }
    Path dir = Files.createTempDirectory("pinned-http-tls");
    Path store = dir.resolve("partner.p12");
    Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "partner",
        "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=partner.test",
        "-ext", "SAN=dns:partner.test", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", new String(PASSWORD),
        "-keypass", new String(PASSWORD), "-noprompt")
        .redirectErrorStream(true).start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return "keytool did not finish";
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      return "keytool failed: " + output;
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD);
    }
    Files.delete(store);
    Files.delete(dir);
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, PASSWORD);
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(keyManagers.getKeyManagers(), null, null);

    Certificate certificate = keys.getCertificate("partner");
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry("partner", certificate);
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trusted);
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, trustManagers.getTrustManagers(), null);
    return new Tls(server, client);
  }

  record Tls(SSLContext serverContext, SSLContext clientContext) {

    PinnedHttpClient client() {
      return new PinnedHttpClient(CONNECT, Duration.ofSeconds(2), clientContext.getSocketFactory());
    }

    /** A TLS server socket on the loopback that records the SNI name the client asked for. */
    ServerSocket serverSocket(AtomicReference<String> sni) throws IOException {
      SSLServerSocket socket =
          (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 50, LOOPBACK);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
        @Override
        public boolean matches(SNIServerName name) {
          sni.set(new String(name.getEncoded(), StandardCharsets.US_ASCII));
          return true;
        }
      }));
      socket.setSSLParameters(parameters);
      return socket;
    }
  }
}
