package dev.postbackrelay.postback;

import java.util.Optional;

/**
 * Port: the campaign a click belonged to once the click itself has expired from the store. The
 * conversions recorded for it remember their campaign, so the conversion store answers this; the
 * port keeps the postback edge from depending on attribution.
 */
@FunctionalInterface
public interface GoneClickCampaigns {

  /** The campaign of the first conversion recorded for this click, or empty when it has none. */
  Optional<String> campaignOfGoneClick(String clickId);
}
