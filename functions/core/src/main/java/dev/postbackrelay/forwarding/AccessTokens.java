package dev.postbackrelay.forwarding;

import dev.postbackrelay.campaign.Destination;

/**
 * Short-lived access tokens for destinations that authenticate with OAuth: Google Ads takes an
 * access token that expires within the hour, obtained from a long-lived refresh token.
 *
 * <p>Contract: returns a token valid for at least a minute, fetching a new one when needed
 * (adapters cache per destination credentials); throws when none can be had, so the delivery is
 * recorded as failed and retried.
 */
public interface AccessTokens {

  String accessToken(Destination destination);

  /** Where no token endpoint is reachable: every request for a token fails. */
  static AccessTokens none() {
    return destination -> {
      throw new IllegalStateException("no OAuth token provider configured");
    };
  }
}
