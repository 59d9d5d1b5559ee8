package dev.postbackrelay.forwarding.builders;

import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.campaign.DestinationSpecs;
import dev.postbackrelay.forwarding.DestinationType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The registry of destination types: one line per type in {@link #BUILT_IN}. Campaign rules ask it
 * for a type's settings ({@link DestinationSpecs}), the admin JSON for the known ids and the
 * secrets to mask, and the delivery service for the type that builds, reads and authenticates
 * ({@link #get}). Types are stateless, so one instance of each serves every delivery.
 */
public final class DestinationTypes implements DestinationSpecs {

  /** The types this product ships. */
  public static final DestinationTypes BUILT_IN = new DestinationTypes(List.of(
      new PostbackRequestBuilder(),
      new MetaConversionsApiBuilder(),
      new GoogleAdsConversionsBuilder(),
      new TikTokEventsBuilder()));

  private final Map<Destination.Type, DestinationType> byType = new LinkedHashMap<>();

  /** @throws IllegalArgumentException when two types share an id */
  public DestinationTypes(List<? extends DestinationType> types) {
    for (DestinationType t : types) {
      if (byType.putIfAbsent(t.type(), t) != null) {
        throw new IllegalArgumentException("two destination types are called " + t.type());
      }
    }
  }

  /** These types and {@code more}. */
  public DestinationTypes with(DestinationType... more) {
    List<DestinationType> all = new ArrayList<>(byType.values());
    all.addAll(List.of(more));
    return new DestinationTypes(all);
  }

  @Override
  public Optional<DestinationType> spec(Destination.Type type) {
    return Optional.ofNullable(byType.get(type));
  }

  /**
   * The type that delivers to {@code type}.
   *
   * @throws IllegalArgumentException for a type not registered (a campaign stored by a deployment
   *     that had it): the delivery fails and its message is retried, then dead-lettered for replay
   */
  public DestinationType get(Destination.Type type) {
    return spec(type).orElseThrow(() -> new IllegalArgumentException("no destination type " + type + " is registered"));
  }

  /** The type called {@code id} (any case), as the admin JSON names it. */
  public Optional<Destination.Type> byId(String id) {
    return byType.keySet().stream().filter(t -> t.id().equalsIgnoreCase(id)).findFirst();
  }

  @Override
  public List<Destination.Type> types() {
    return List.copyOf(byType.keySet());
  }

  /**
   * Every setting some type holds secret. Views mask these in any destination's settings, so a
   * token typed into another type's settings (or kept from before a change of type) is not shown.
   */
  public Set<String> secretSettings() {
    Set<String> all = new TreeSet<>();
    byType.values().forEach(t -> all.addAll(t.secretSettings()));
    return all;
  }
}
