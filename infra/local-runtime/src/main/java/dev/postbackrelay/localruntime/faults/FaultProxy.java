package dev.postbackrelay.localruntime.faults;

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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP/1.1 proxy on a loopback port between one function and one stand-in (DynamoDB Local or
 * ElasticMQ): each request is forwarded as it came, unless the {@link FaultHarness} picks a
 * {@link Fault} for it, by the calling function, the service and the operation (the
 * {@code X-Amz-Target} header's API name). Keep-alive connections, {@code Content-Length} and
 * chunked request bodies; answers are sent with a {@code Content-Length}.
 */
final class FaultProxy implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(FaultProxy.class.getName());
  private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect", "upgrade",
      "transfer-encoding", "keep-alive", "date", "via", "from", "warning");
  private static final long MAX_HANG_MS = 30_000;
  private static final int ACCEPT_POLL_MS = 100;

  private final String function;
  private final String service;
  private final URI upstream;
  private final FaultHarness harness;
  private final HttpClient client;
  private final ExecutorService connections;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final int port;
  private volatile ServerSocket listener;
  private volatile boolean closed;

  FaultProxy(String function, String service, URI upstream, FaultHarness harness) throws IOException {
    this.function = function;
    this.service = service;
    this.upstream = upstream;
    this.harness = harness;
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    this.connections = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fault-proxy-" + function + "-" + service);
      t.setDaemon(true);
      return t;
    });
    this.listener = bind(0);
    this.port = listener.getLocalPort();
    Thread accept = new Thread(this::acceptLoop, "fault-proxy-accept-" + function + "-" + service);
    accept.setDaemon(true);
    accept.start();
  }

  /** {@code http://127.0.0.1:<port>}, what the function is given as its endpoint. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    socket.setSoTimeout(ACCEPT_POLL_MS);
    return socket;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        if (harness.refusing(function, service)) {
          if (listener != null) {
            listener.close();
            listener = null;
            open.forEach(FaultProxy::reset);
          }
          Thread.sleep(ACCEPT_POLL_MS);
          continue;
        }
        if (listener == null) {
          listener = bind(port);
        }
        Socket socket = listener.accept();
        socket.setTcpNoDelay(true);
        open.add(socket);
        connections.execute(() -> serve(socket));
      } catch (SocketTimeoutException poll) {
        // look at the rules again
      } catch (IOException e) {
        if (!closed) {
          LOG.log(System.Logger.Level.DEBUG, "{0}/{1}: {2}", function, service, e.getMessage());
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (!closed) {
        Request request = Request.read(in);
        if (request == null) {
          return;
        }
        FaultRule rule = harness.pick(function, service, request.operation());
        Fault fault = rule == null ? null : rule.fault();
        if (fault == Fault.RESET) {
          reset(socket);
          return;
        }
        if (fault == Fault.HANG) {
          Thread.sleep(Math.max(0, Math.min(MAX_HANG_MS, rule.untilMillis() - System.currentTimeMillis())));
          return;
        }
        if (fault == Fault.KILL) {
          harness.kill(function, request.operation());
          reset(socket);
          return;
        }
        if (fault == Fault.THROTTLE || fault == Fault.THROUGHPUT_EXCEEDED || fault == Fault.SERVER_ERROR) {
          write(out, errorAnswer(fault), -1);
          continue;
        }
        if (fault == Fault.LATENCY) {
          Thread.sleep(rule.latencyMs());
        }
        Answer answer = forward(request);
        if (fault == Fault.CUT) {
          write(out, answer, answer.body().length / 2);
          return;
        }
        write(out, answer, -1);
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "{0}/{1}: connection ended: {2}", function, service, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(socket);
    }
  }

  private Answer forward(Request request) throws IOException, InterruptedException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(upstream.resolve(request.target()))
        .timeout(Duration.ofSeconds(60))
        .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
    request.headers().forEach((name, value) -> {
      if (!NOT_FORWARDED.contains(name)) {
        builder.header(name, value);
      }
    });
    HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    Map<String, String> headers = new LinkedHashMap<>();
    response.headers().map().forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
        headers.put(name, String.join(",", values));
      }
    });
    return new Answer(response.statusCode(), headers, response.body());
  }

  /** The error a stand-in under pressure answers: DynamoDB's JSON for throttling, an internal failure for 5xx. */
  static Answer errorAnswer(Fault fault) {
    String type = switch (fault) {
      case THROTTLE -> "com.amazonaws.dynamodb.v20120810#ThrottlingException";
      case THROUGHPUT_EXCEEDED -> "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException";
      default -> "com.amazon.coral.service#InternalFailure";
    };
    String message = fault == Fault.SERVER_ERROR ? "We encountered an internal error. Please try again."
        : "Rate of requests exceeds the allowed throughput.";
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-amz-json-1.0");
    headers.put("x-amzn-ErrorType", type.substring(type.indexOf('#') + 1));
    headers.put("x-amzn-RequestId", "fault-" + System.nanoTime());
    byte[] body = ("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    return new Answer(fault == Fault.SERVER_ERROR ? 500 : 400, headers, body);
  }

  /** Writes {@code answer}; with {@code cutAt} of 0 or more, only that many body bytes (the connection is then closed). */
  private static void write(OutputStream out, Answer answer, int cutAt) throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(answer.status()).append(" ")
        .append(answer.status() < 400 ? "OK" : answer.status() < 500 ? "Bad Request" : "Internal Server Error")
        .append("\r\n");
    answer.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ").append(answer.body().length).append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(answer.body(), 0, cutAt < 0 ? answer.body().length : cutAt);
    out.flush();
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException ignored) {
      // gone already
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      if (listener != null) {
        listener.close();
      }
    } catch (IOException ignored) {
      // closing anyway
    }
    open.forEach(FaultProxy::reset);
    connections.shutdownNow();
  }

  /** An answer to send back: status, headers, the whole body. */
  record Answer(int status, Map<String, String> headers, byte[] body) {}

  /** One request as read from the function: method, target, headers (names lower case), body. */
  record Request(String method, String target, Map<String, String> headers, byte[] body) {

    /** The API name: {@code PutItem} of {@code X-Amz-Target: DynamoDB_20120810.PutItem}, else the query's Action. */
    String operation() {
      String target = headers.get("x-amz-target");
      if (target != null) {
        return target.substring(target.indexOf('.') + 1);
      }
      int action = this.target.indexOf("Action=");
      return action < 0 ? null : this.target.substring(action + 7).split("&")[0];
    }

    /** The next request on the connection; null when the function closed it between requests. */
    static Request read(InputStream in) throws IOException {
      String requestLine = line(in);
      while (requestLine != null && requestLine.isEmpty()) {
        requestLine = line(in);
      }
      if (requestLine == null) {
        return null;
      }
      List<String> parts = List.of(requestLine.split(" "));
      if (parts.size() < 3) {
        throw new IOException("not an HTTP request: " + requestLine);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
        int colon = header.indexOf(':');
        if (colon > 0) {
          headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
      }
      byte[] body;
      if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
        body = chunked(in);
      } else {
        body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
      }
      return new Request(parts.get(0), parts.get(1), headers, body);
    }

    private static byte[] chunked(InputStream in) throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String size = line(in);
        if (size == null) {
          throw new IOException("the connection ended inside a chunked body");
        }
        int length = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (length == 0) {
          for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
            // trailers are not forwarded
          }
          return body.toByteArray();
        }
        body.write(in.readNBytes(length));
        line(in);
      }
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b >= 0; b = in.read()) {
        if (b == '\n') {
          String text = line.toString(StandardCharsets.ISO_8859_1);
          return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
        line.write(b);
      }
      return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
