package dev.postbackrelay.forwarding;

import dev.postbackrelay.net.OutboundGuard;
import java.net.InetAddress;

/**
 * Sends one outbound request over HTTP.
 *
 * <p>Contract: connects only to {@code address} (the one the {@link OutboundGuard} approved; the
 * host name is never resolved again); never follows redirects; applies a connect and a read
 * time-out; never throws for partner failures (time-outs, refused connections, non-2xx) but
 * reports them in the {@link Response}.
 */
public interface PostbackSender {

  Response send(OutboundRequest request, InetAddress address);

  /**
   * @param httpStatus 0 when no response arrived
   * @param error null on 2xx; otherwise the written form of a transport {@link DeliveryError}
   *     ({@code http_500}, {@code timeout}, {@code tls: SSLHandshakeException}...)
   * @param location the Location of a redirect that was not followed, or null
   * @param body the start of a 2xx response's body (a few KiB at most), or null
   */
  record Response(int httpStatus, long latencyMillis, String error, String location, String body) {

    public Response(int httpStatus, long latencyMillis, String error, String location) {
      this(httpStatus, latencyMillis, error, location, null);
    }
  }
}
