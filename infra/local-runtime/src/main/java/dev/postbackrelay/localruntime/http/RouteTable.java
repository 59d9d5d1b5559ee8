package dev.postbackrelay.localruntime.http;

import dev.postbackrelay.localruntime.template.HttpRoute;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The routes of an HTTP API and the function behind each, matched as API Gateway does: a
 * {@code {name}} segment matches one segment, a final {@code {name+}} the rest of the path, and the
 * most specific route wins (more literal segments first, greedy routes after, {@code ANY} after an
 * exact method, {@code $default} last). A path that some route matches under another method is
 * {@link Outcome#METHOD_NOT_ALLOWED}; no matching path is {@link Outcome#NOT_FOUND}.
 */
public final class RouteTable {

  /** How a request fared. */
  public enum Outcome { MATCHED, NOT_FOUND, METHOD_NOT_ALLOWED }

  /** A route and the function that serves it. */
  public record Target(HttpRoute route, String function) {}

  /** The result of {@link #match}: the target and path parameters when {@code MATCHED}. */
  public record Match(Outcome outcome, Target target, Map<String, String> pathParameters) {}

  private final List<Target> targets;

  public RouteTable(List<Target> targets) {
    this.targets = List.copyOf(targets);
  }

  public List<Target> targets() {
    return targets;
  }

  /** Matches a request's method and raw (still percent-encoded) path. */
  public Match match(String method, String rawPath) {
    List<Candidate> candidates = new ArrayList<>();
    boolean pathMatched = false;
    for (Target target : targets) {
      Optional<Map<String, String>> parameters = parameters(target.route().path(), rawPath);
      if (parameters.isEmpty()) {
        continue;
      }
      boolean isDefault = HttpRoute.DEFAULT_ROUTE.equals(target.route().path());
      pathMatched |= !isDefault;
      String routeMethod = target.route().method();
      if (routeMethod.equals(method) || "ANY".equals(routeMethod)) {
        candidates.add(new Candidate(target, parameters.get()));
      }
    }
    return candidates.stream().min(Comparator.comparingInt(Candidate::rank))
        .map(c -> new Match(Outcome.MATCHED, c.target(), c.parameters()))
        .orElse(new Match(pathMatched ? Outcome.METHOD_NOT_ALLOWED : Outcome.NOT_FOUND, null, Map.of()));
  }

  private static Optional<Map<String, String>> parameters(String template, String rawPath) {
    if (HttpRoute.DEFAULT_ROUTE.equals(template)) {
      return Optional.of(Map.of());
    }
    String[] want = segments(template);
    String[] have = segments(rawPath);
    Map<String, String> parameters = new LinkedHashMap<>();
    for (int i = 0; i < want.length; i++) {
      String segment = want[i];
      if (isGreedy(segment) && i == want.length - 1) {
        if (have.length <= i) {
          return Optional.empty();
        }
        String rest = String.join("/", Arrays.copyOfRange(have, i, have.length));
        parameters.put(segment.substring(1, segment.length() - 2), decode(rest));
        return Optional.of(parameters);
      }
      if (i >= have.length) {
        return Optional.empty();
      }
      if (segment.startsWith("{") && segment.endsWith("}")) {
        if (have[i].isEmpty()) {
          return Optional.empty();
        }
        parameters.put(segment.substring(1, segment.length() - 1), decode(have[i]));
      } else if (!segment.equals(have[i])) {
        return Optional.empty();
      }
    }
    return want.length == have.length ? Optional.of(parameters) : Optional.empty();
  }

  private static boolean isGreedy(String segment) {
    return segment.startsWith("{") && segment.endsWith("+}");
  }

  private static String[] segments(String path) {
    return path.startsWith("/") ? path.substring(1).split("/", -1) : path.split("/", -1);
  }

  /** Percent-decoding of a path segment ({@code +} stays a plus sign). */
  static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private record Candidate(Target target, Map<String, String> parameters) {
    /** Lower is more specific. */
    int rank() {
      HttpRoute route = target.route();
      boolean isDefault = HttpRoute.DEFAULT_ROUTE.equals(route.path());
      String[] segments = segments(route.path());
      long literals = Arrays.stream(segments).filter(s -> !s.startsWith("{")).count();
      boolean greedy = segments.length > 0 && isGreedy(segments[segments.length - 1]);
      return (isDefault ? 1_000_000 : 0) + (greedy ? 100_000 : 0) + (int) (1000 - literals) * 10
          + ("ANY".equals(route.method()) ? 1 : 0);
    }
  }
}
