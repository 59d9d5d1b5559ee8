package dev.postbackrelay.testing;

import dev.postbackrelay.forwarding.PostbackSender;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A partner in a box: records every call (with its {@code Idempotency-Key}) and answers with the
 * scripted responses in order, then with the default response (200 unless changed).
 */
public final class ScriptedPostbackSender implements PostbackSender {

  /** One outbound postback as the sender was asked to make it. */
  public record Call(String method, URI url, InetAddress address, String idempotencyKey) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Deque<Response> script = new ArrayDeque<>();
  private volatile Response fallback = ok();

  public static Response ok() {
    return new Response(200, 12, null);
  }

  public static Response status(int httpStatus) {
    return new Response(httpStatus, 12, httpStatus >= 200 && httpStatus < 300 ? null : "HTTP " + httpStatus);
  }

  public static Response timeout() {
    return new Response(0, 5000, "read timed out");
  }

  /** Answers the next calls with {@code responses}, in order. */
  public synchronized ScriptedPostbackSender thenRespond(Response... responses) {
    script.addAll(List.of(responses));
    return this;
  }

  /** The answer once the script is used up. */
  public ScriptedPostbackSender byDefault(Response response) {
    fallback = response;
    return this;
  }

  @Override
  public Response send(String method, URI url, InetAddress address, String idempotencyKey) {
    calls.add(new Call(method, url, address, idempotencyKey));
    synchronized (this) {
      Response next = script.poll();
      return next != null ? next : fallback;
    }
  }

  /** Every call so far, oldest first (a snapshot). */
  public List<Call> calls() {
    return List.copyOf(calls);
  }
}
