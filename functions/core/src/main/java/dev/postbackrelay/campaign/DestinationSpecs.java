package dev.postbackrelay.campaign;

import java.util.List;
import java.util.Optional;

/**
 * The destination types a deployment knows. The registry of destination types implements it
 * (forwarding's {@code DestinationTypes}); campaign rules ask it, since campaign may not depend on
 * forwarding.
 *
 * <p>Contract: {@link #spec} is empty exactly for a type not in {@link #types()}; both are fixed
 * for the registry's lifetime.
 */
public interface DestinationSpecs {

  Optional<? extends DestinationSpec> spec(Destination.Type type);

  /** Every known type, in the order they are listed to operators. */
  List<Destination.Type> types();

  /** The known types' ids for a message: {@code "postback, meta_capi, google_ads or tiktok"}. */
  default String listed() {
    List<String> ids = types().stream().map(Destination.Type::id).toList();
    return ids.size() == 1 ? ids.get(0)
        : String.join(", ", ids.subList(0, ids.size() - 1)) + " or " + ids.get(ids.size() - 1);
  }
}
