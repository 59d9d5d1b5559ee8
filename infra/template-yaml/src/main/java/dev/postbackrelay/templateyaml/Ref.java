package dev.postbackrelay.templateyaml;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A reference to another template entry: {@code Ref: X} (attribute {@code null}; {@code X} may be a
 * SAM name such as {@code ClickFunction.Version}) or {@code Fn::GetAtt: [X, Attr]}.
 */
public record Ref(String logicalId, String attribute) {

  /** The reference a template value is, as {@link CloudFormationYaml} reads it; empty for anything else. */
  public static Optional<Ref> of(Object value) {
    if (!(value instanceof Map<?, ?> m) || m.size() != 1) {
      return Optional.empty();
    }
    if (m.get("Ref") instanceof String target) {
      return Optional.of(new Ref(target, null));
    }
    if (m.get("Fn::GetAtt") instanceof List<?> l && l.size() == 2) {
      return Optional.of(new Ref(String.valueOf(l.get(0)), String.valueOf(l.get(1))));
    }
    return Optional.empty();
  }
}
