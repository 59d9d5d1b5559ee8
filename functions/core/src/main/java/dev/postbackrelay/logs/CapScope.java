package dev.postbackrelay.logs;

/**
 * What the cap on recorded refusals counts per minute: one campaign (refusals naming no campaign
 * share {@link #NO_CAMPAIGN}), or one source address.
 */
public record CapScope(Kind kind, String value) {

  /** The campaign id under which refusals that name no campaign are kept. */
  public static final String NO_CAMPAIGN = "-";

  public enum Kind { CAMPAIGN, SOURCE_IP }

  public static CapScope campaign(String campaignId) {
    return new CapScope(Kind.CAMPAIGN, campaignId == null ? NO_CAMPAIGN : campaignId);
  }

  public static CapScope sourceIp(String ip) {
    return new CapScope(Kind.SOURCE_IP, ip == null ? "unknown" : ip);
  }
}
