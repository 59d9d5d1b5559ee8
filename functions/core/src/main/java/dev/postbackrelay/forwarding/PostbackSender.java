package dev.postbackrelay.forwarding;

import java.net.InetAddress;
import java.net.URI;

/**
 * Sends one outbound postback over HTTP.
 *
 * <p>Contract: never follows redirects; applies a connect and a read time-out; sends the
 * {@code Idempotency-Key} header; never throws for partner failures (time-outs, refused
 * connections, non-2xx) but reports them in the {@link Response}.
 */
public interface PostbackSender {

  /**
   * @param address the address the {@link OutboundGuard} approved for {@code url}'s host
   */
  Response send(String method, URI url, InetAddress address, String idempotencyKey);

  /** @param httpStatus 0 when no response arrived; {@code error} says why */
  record Response(int httpStatus, long latencyMillis, String error) {}
}
