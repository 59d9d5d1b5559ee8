package dev.postbackrelay.click;

import dev.postbackrelay.common.Page;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Where clicks live.
 *
 * <p>Contract: {@link #put} is durable when it returns; reads are strongly consistent (a click put
 * a moment ago is found); a click past its {@code expiresAt} may or may not be found.
 */
public interface ClickStore {

  void put(Click click);

  Optional<Click> find(String clickId);

  /** The clicks among {@code clickIds} that exist, keyed by id; one round trip where possible. */
  Map<String, Click> findAll(Collection<String> clickIds);

  /** A campaign's clicks, newest first; following {@code next} lists each once. */
  Page<Click> list(ClickQuery query);
}
