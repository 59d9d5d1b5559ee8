package dev.postbackrelay.campaign;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What campaign rules and views need to know of one destination type: the settings it requires,
 * the ones that are secrets, and the role of its {@code url}. Each type states these once, in its
 * own class (forwarding's {@code DestinationType} extends this), so that validation, masking and
 * delivery cannot disagree.
 */
public interface DestinationSpec {

  Destination.Type type();

  /** Settings that must be present and not blank when the campaign is stored. */
  default List<String> requiredSettings() {
    return List.of();
  }

  /**
   * Settings that hold secrets: masked in views, kept from the stored campaign when sent back
   * masked, and resolvable from the secret store ({@code secret:<name>}).
   */
  default Set<String> secretSettings() {
    return Set.of();
  }

  /**
   * Whether {@code url} is the target itself (required, a template checked as written) rather than
   * an optional endpoint override (blank means the platform's own endpoint; checked stripped).
   */
  default boolean urlRequired() {
    return false;
  }

  /**
   * A rule over several settings that {@link #requiredSettings()} cannot say, e.g. "these three,
   * or that one": the problem as the rest of a sentence starting with the destination's field
   * path ({@code "settings needs ..."}), or null when the settings are fine.
   */
  default String settingsProblem(Map<String, String> settings) {
    return null;
  }
}
