package dev.postbackrelay.campaign;

import java.time.Instant;

/** A line of the campaign list: what an operator scans before opening one. */
public record CampaignSummary(String id, Campaign.Status status, int affiliates, int destinations, Instant createdAt,
    Instant updatedAt) {}
