package dev.postbackrelay.attribution;

import java.util.Optional;

/**
 * Lifetime attribution: customers bound to the click (and so the affiliate) that brought them.
 *
 * <p>Contract: the first binding of a (campaign, customer) wins, by conditional write; later
 * {@link #bind} calls for the same pair change nothing.
 */
public interface CustomerStore {

  void bind(String campaignId, String customerId, String clickId);

  /** The click id the customer is bound to. */
  Optional<String> boundClick(String campaignId, String customerId);
}
