package dev.postbackrelay.click;

import dev.postbackrelay.common.Params;

/** What the edge knows of a click request; {@code country} is null unless the edge provides it. */
public record ClickRequest(Params params, String ip, String userAgent, String referer, String country) {}
