package dev.postbackrelay.localruntime.http;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as it reached the gateway: method, raw (percent-encoded) path and query
 * ({@code null} when absent), headers as received (any case, possibly repeated), body, the
 * client's address and the protocol.
 */
public record HttpApiRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
    byte[] body, String sourceIp, int localPort, String protocol) {}
