package dev.postbackrelay.lambda.forwarding;

import dev.postbackrelay.forwarding.OutboundRequest;
import dev.postbackrelay.forwarding.PostbackSender;
import java.net.InetAddress;
import java.time.Duration;

/** The outbound port on the pinned HTTP client: connects to the guard's address, nothing else. */
public final class PinnedPostbackSender implements PostbackSender {

  private final PinnedHttpClient client;

  public PinnedPostbackSender(Duration connectTimeout, Duration readTimeout) {
    this(new PinnedHttpClient(connectTimeout, readTimeout));
  }

  public PinnedPostbackSender(PinnedHttpClient client) {
    this.client = client;
  }

  @Override
  public Response send(OutboundRequest request, InetAddress address) {
    PinnedHttpClient.Result result = client.send(request, address);
    return new Response(result.httpStatus(), result.latencyMillis(), result.error(), result.location(), result.body());
  }
}
