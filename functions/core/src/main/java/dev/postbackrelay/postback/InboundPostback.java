package dev.postbackrelay.postback;

import dev.postbackrelay.common.Params;

/** A postback as it arrived: its parameters (query, form or JSON) and what the edge saw. */
public record InboundPostback(Params params, String method, String path, String sourceIp) {}
