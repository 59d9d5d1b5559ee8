package dev.postbackrelay.click;

/** A recorded click and where to send the visitor. */
public record ClickResult(String clickId, String redirectUrl) {}
