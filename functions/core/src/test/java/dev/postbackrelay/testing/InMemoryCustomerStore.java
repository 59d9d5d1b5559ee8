package dev.postbackrelay.testing;

import dev.postbackrelay.attribution.CustomerStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Customer bindings in a map; the first binding of a (campaign, customer) wins. */
public final class InMemoryCustomerStore implements CustomerStore {

  private record Customer(String campaignId, String customerId) {}

  private final Map<Customer, String> bindings = new ConcurrentHashMap<>();

  @Override
  public void bind(String campaignId, String customerId, String clickId) {
    bindings.putIfAbsent(new Customer(campaignId, customerId), clickId);
  }

  @Override
  public Optional<String> boundClick(String campaignId, String customerId) {
    return Optional.ofNullable(bindings.get(new Customer(campaignId, customerId)));
  }
}
