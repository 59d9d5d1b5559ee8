package dev.postbackrelay.localruntime.template;

/**
 * A reference to another template entry: {@code !Ref X} (attribute {@code null}) or
 * {@code !GetAtt X.Attr}.
 */
public record Ref(String logicalId, String attribute) {}
