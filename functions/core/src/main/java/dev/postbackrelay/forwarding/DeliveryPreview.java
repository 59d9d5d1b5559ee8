package dev.postbackrelay.forwarding;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.common.Masking;
import dev.postbackrelay.net.OutboundGuard;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one delivery would send, built by its {@link DestinationType} exactly as
 * {@link DeliveryService} builds it, but with nothing sent, nothing claimed and no secret read:
 * every secret setting, the signing secret and any access token stand in as {@link Masking#MASK},
 * so the request shows where each secret goes and never its value (a signature computed over the
 * stand-in is masked too where the URL names it as secret).
 *
 * @param method null when nothing would be sent
 * @param url the URL, secret values and secret-looking query values masked; null when nothing would be sent
 * @param body the body, for POST; null otherwise
 * @param failure why nothing would be sent ({@code missing_setting: pixel_id},
 *     {@code forbidden_destination: ...}, {@code dns_unresolved}); null when it would be
 */
public record DeliveryPreview(String destinationId, String type, String status, String idempotencyKey,
    String method, String url, String body, String failure) {

  /** The preview of {@code d}, for {@code conversion} as attribution would leave it. */
  public static DeliveryPreview of(Delivery d, Conversion conversion, Click click, Destination destination,
      DestinationType type, OutboundGuard guard, Instant now) {
    Conversion announced = conversion.status() == d.status() ? conversion : conversion.withStatus(d.status());
    Destination standIn = standIn(destination, type);
    try {
      standIn = type.withCredentials(standIn, ignored -> Masking.MASK);
    } catch (RuntimeException e) {
      return unsent(d, destination, DeliveryError.TOKEN_UNAVAILABLE.failure());
    }
    DeliveryPlan plan = type.plan(standIn, announced, click, d.idempotencyKey(), now);
    if (plan instanceof DeliveryPlan.Skip skip) {
      return unsent(d, destination, skip.failure());
    }
    OutboundRequest request = ((DeliveryPlan.Send) plan).request();
    List<String> secrets = DeliveryLogs.secretValues(type, standIn);
    String url = DeliveryLogs.maskQuery(DeliveryLogs.mask(request.url().toString(), secrets));
    String body = request.body().length == 0 ? null
        : DeliveryLogs.mask(new String(request.body(), StandardCharsets.UTF_8), secrets);
    String failure = null;
    try {
      guard.checkAndResolve(request.url());
    } catch (RejectedException e) {
      failure = DeliveryError.FORBIDDEN_DESTINATION.with(e.getMessage()).recorded();
    } catch (OutboundGuard.UnresolvedHostException e) {
      failure = DeliveryError.DNS_UNRESOLVED.failure().recorded();
    }
    return new DeliveryPreview(d.destinationId(), destination.type().id(), d.status().code(), d.idempotencyKey(),
        request.method(), url, body, failure);
  }

  /** The destination with the mask standing in for each secret it holds. */
  private static Destination standIn(Destination d, DestinationType type) {
    Map<String, String> settings = new LinkedHashMap<>(d.settings());
    settings.replaceAll((name, value) -> value != null && (type.secretSettings().contains(name) || Masking.masked(name))
        ? Masking.MASK : value);
    return d.withSettings(settings).withSigningSecret(d.signingSecret() == null ? null : Masking.MASK);
  }

  private static DeliveryPreview unsent(Delivery d, Destination destination, DeliveryFailure failure) {
    return new DeliveryPreview(d.destinationId(), destination.type().id(), d.status().code(), d.idempotencyKey(),
        null, null, null, failure.recorded());
  }
}
