package dev.postbackrelay.forwarding;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.campaign.DestinationSpec;
import java.util.Optional;

/**
 * One kind of destination, whole: its settings ({@link DestinationSpec}: required, secret, the
 * role of its URL), how it builds its request ({@link RequestBuilder}), how it reads the answer
 * ({@link #readResponse}) and how it obtains short-lived credentials ({@link #withCredentials}).
 * Adding a type is one class implementing this plus its line in the registry
 * ({@code forwarding.builders.DestinationTypes}); validation, the admin JSON and the delivery
 * service ask the type and know no type by name.
 *
 * <p>Contract: stateless (one instance serves every delivery, from any thread); the hooks do no
 * I/O of their own except through the ports they are given.
 */
public interface DestinationType extends DestinationSpec, RequestBuilder {

  /**
   * The destination as it is built and sent, with any short-lived credentials it needs added to
   * its settings (its secret references are resolved already). The default adds none.
   *
   * @throws RuntimeException when no credential can be had: the attempt is recorded as
   *     {@link DeliveryError#TOKEN_UNAVAILABLE} and retried
   */
  default Destination withCredentials(Destination destination, AccessTokens tokens) {
    return destination;
  }

  /**
   * Whether its request needs the visitor's click as stored (IP, user agent, ad-platform click ids),
   * so that a delivery reads the click; a type that reads only what the conversion remembers of it
   * (its ids and sub ids: {@link Conversion#rememberedClick}) answers false and costs no read.
   */
  default boolean readsTheClick() {
    return true;
  }

  /**
   * What the answer means: empty when delivered, else the failure. The default takes the
   * sender's verdict (any 2xx delivers); a type whose API refuses inside a 2xx overrides it.
   */
  default Optional<DeliveryFailure> readResponse(PostbackSender.Response response) {
    return transportFailure(response);
  }

  /** The sender's verdict as a failure: its error (with a redirect's Location), or a non-2xx status. */
  static Optional<DeliveryFailure> transportFailure(PostbackSender.Response response) {
    if (response.error() == null) {
      boolean ok = response.httpStatus() >= 200 && response.httpStatus() < 300;
      return ok ? Optional.empty()
          : Optional.of(DeliveryError.HTTP_STATUS.with(Integer.toString(response.httpStatus())));
    }
    DeliveryFailure failure = DeliveryFailure.parse(response.error())
        .orElseThrow(() -> new IllegalStateException("the sender reported an error outside DeliveryError"));
    if (response.location() != null && failure.error() == DeliveryError.REDIRECT_NOT_FOLLOWED) {
      return Optional.of(failure.error().with(response.location()));
    }
    return Optional.of(failure);
  }
}
