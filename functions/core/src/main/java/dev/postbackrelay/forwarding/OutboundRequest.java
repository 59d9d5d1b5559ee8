package dev.postbackrelay.forwarding;

import java.net.URI;
import java.util.Map;

/**
 * One HTTP request to a destination, fully built: exactly what goes on the wire.
 *
 * @param headers extra headers (Idempotency-Key, signature, platform authentication); never
 *     logged, since they can hold access tokens
 * @param body the body, empty for GET
 */
public record OutboundRequest(String method, URI url, Map<String, String> headers, byte[] body) {

  public OutboundRequest {
    headers = Map.copyOf(headers);
    body = body == null ? new byte[0] : body;
  }
}
