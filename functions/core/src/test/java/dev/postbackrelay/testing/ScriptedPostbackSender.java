package dev.postbackrelay.testing;

import dev.postbackrelay.forwarding.OutboundRequest;
import dev.postbackrelay.forwarding.PostbackSender;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Partners in a box: records every request exactly as it would go on the wire (method, URL,
 * headers, body) with the address the guard approved, and answers each call from a script.
 *
 * <p>An answer is taken, in this order, from the host's own script ({@link #forHost}), the shared
 * script ({@link #thenRespond}), the host's default, then the default (200 unless changed). Errors
 * are spelled as the real sender spells them ({@code http_503}, {@code timeout},
 * {@code redirect_not_followed}). Nothing ever blocks: a partner that hangs is answered at once
 * with the time-out the real sender would report after its read time-out ({@link #hang()}).
 */
public final class ScriptedPostbackSender implements PostbackSender {

  /** What the real sender waits for a response head before it gives up (its read time-out). */
  public static final long READ_TIMEOUT_MILLIS = 10_000;

  /** One outbound request as the sender was asked to make it. */
  public record Call(OutboundRequest request, InetAddress address) {

    public String method() {
      return request.method();
    }

    public URI url() {
      return request.url();
    }

    public Map<String, String> headers() {
      return request.headers();
    }

    /** The header, matched without regard to case (as HTTP does); null when absent. */
    public String header(String name) {
      return request.headers().entrySet().stream()
          .filter(h -> h.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue)
          .findFirst().orElse(null);
    }

    public String idempotencyKey() {
      return header("Idempotency-Key");
    }

    /** The body as UTF-8 text; empty for GET. */
    public String body() {
      return new String(request.body(), StandardCharsets.UTF_8);
    }
  }

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Deque<Response> script = new ArrayDeque<>();
  private final Map<String, Deque<Response>> hostScripts = new ConcurrentHashMap<>();
  private final Map<String, Response> hostDefaults = new ConcurrentHashMap<>();
  private volatile Response fallback = ok();

  public static Response ok() {
    return status(200);
  }

  /** A response with this status after 12 ms; an error ({@code http_<status>}) unless 2xx. */
  public static Response status(int httpStatus) {
    return status(httpStatus, 12);
  }

  public static Response status(int httpStatus, long latencyMillis) {
    boolean ok = httpStatus >= 200 && httpStatus < 300;
    return new Response(httpStatus, latencyMillis, ok ? null : "http_" + httpStatus, null);
  }

  /** A redirect the sender does not follow, reported with its {@code Location}. */
  public static Response redirect(int httpStatus, String location) {
    return new Response(httpStatus, 12, "redirect_not_followed", location);
  }

  /** No response at all, for {@code error} ({@code connect_refused}, {@code no_response}...). */
  public static Response failure(String error, long latencyMillis) {
    return new Response(0, latencyMillis, Objects.requireNonNull(error), null);
  }

  /** The read time-out ran out. */
  public static Response timeout() {
    return failure("timeout", READ_TIMEOUT_MILLIS);
  }

  /** A partner that accepts the connection and never answers: the sender's time-out, at once. */
  public static Response hang() {
    return timeout();
  }

  /** Answers the next calls, whoever they are for, with {@code responses}, in order. */
  public synchronized ScriptedPostbackSender thenRespond(Response... responses) {
    script.addAll(List.of(responses));
    return this;
  }

  /** Answers the next calls to {@code host} with {@code responses}, in order, before any other script. */
  public synchronized ScriptedPostbackSender forHost(String host, Response... responses) {
    hostScripts.computeIfAbsent(host, h -> new ArrayDeque<>()).addAll(List.of(responses));
    return this;
  }

  /** The answer once the script is used up. */
  public ScriptedPostbackSender byDefault(Response response) {
    fallback = response;
    return this;
  }

  /** The answer for {@code host} once its script and the shared script are used up. */
  public ScriptedPostbackSender byDefaultFor(String host, Response response) {
    hostDefaults.put(host, response);
    return this;
  }

  @Override
  public Response send(OutboundRequest request, InetAddress address) {
    calls.add(new Call(request, address));
    String host = request.url().getHost();
    synchronized (this) {
      Deque<Response> own = hostScripts.get(host);
      Response next = own == null ? null : own.poll();
      if (next == null) {
        next = script.poll();
      }
      if (next == null) {
        next = hostDefaults.getOrDefault(host, fallback);
      }
      return next;
    }
  }

  /** Every call so far, oldest first (a snapshot). */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The calls to {@code host} so far, oldest first. */
  public List<Call> callsTo(String host) {
    return calls.stream().filter(c -> host.equals(c.url().getHost())).toList();
  }
}
