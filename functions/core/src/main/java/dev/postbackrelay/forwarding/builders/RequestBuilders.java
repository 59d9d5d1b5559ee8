package dev.postbackrelay.forwarding.builders;

import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.forwarding.RequestBuilder;

/**
 * The {@link RequestBuilder} for each {@link Destination.Type}. Builders are stateless, so one
 * instance of each serves every delivery; a new type fails to compile here until it has one.
 */
public final class RequestBuilders {

  private static final RequestBuilder POSTBACK = new PostbackRequestBuilder();
  private static final RequestBuilder META_CAPI = new MetaConversionsApiBuilder();
  private static final RequestBuilder GOOGLE_ADS = new GoogleAdsConversionsBuilder();
  private static final RequestBuilder TIKTOK = new TikTokEventsBuilder();

  private RequestBuilders() {}

  public static RequestBuilder forType(Destination.Type type) {
    return switch (type) {
      case POSTBACK -> POSTBACK;
      case META_CAPI -> META_CAPI;
      case GOOGLE_ADS -> GOOGLE_ADS;
      case TIKTOK -> TIKTOK;
    };
  }
}
