package dev.postbackrelay.forwarding;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.attribution.DeliveryAttempt;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.Masking;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the sent-postbacks log's entry of one attempt, with every secret value masked. */
final class DeliveryLogs {

  /** What went out and came back, and the secret values to mask in it. */
  record Sent(OutboundRequest request, PostbackSender.Response response, List<String> secrets) {}

  private static final Pattern QUERY_PAIR = Pattern.compile("([?&])([^=&#]+)=([^&#]*)");

  private DeliveryLogs() {}

  /** The destination's secret values as sent: its secret settings (access tokens too) and signing secret. */
  static List<String> secretValues(DestinationType type, Destination resolved) {
    List<String> values = new ArrayList<>();
    resolved.settings().forEach((name, value) -> {
      if (value != null && (type.secretSettings().contains(name) || Masking.masked(name))) {
        values.add(value);
      }
    });
    if (resolved.signingSecret() != null) {
      values.add(resolved.signingSecret());
    }
    values.removeIf(v -> v.length() < 4); // too short to mask without masking ordinary text
    values.sort(Comparator.comparingInt(String::length).reversed());
    return values;
  }

  static DeliveryLogEntry entry(Delivery d, Conversion conversion, DestinationType type, Sent sent,
      DeliveryAttempt logged, DeliveryFailure failure, DeliveryOutcome outcome, int attempt, boolean possibleRepeat,
      Instant now) {
    DeliveryLogEntry.Outcome kind;
    Instant next = null;
    if (outcome instanceof DeliveryOutcome.Delivered) {
      kind = DeliveryLogEntry.Outcome.DELIVERED;
    } else if (outcome instanceof DeliveryOutcome.Skipped) {
      kind = DeliveryLogEntry.Outcome.SKIPPED;
    } else if (outcome instanceof DeliveryOutcome.RetryAfter retry) {
      next = now.plus(retry.delay());
      kind = failure != null && failure.error() == DeliveryError.REDIRECT_NOT_FOLLOWED
          ? DeliveryLogEntry.Outcome.REDIRECT_NOT_FOLLOWED : DeliveryLogEntry.Outcome.RETRYING;
    } else {
      kind = DeliveryLogEntry.Outcome.DEAD;
    }
    String method = null;
    String url = null;
    String body = null;
    String response = null;
    if (sent != null) {
      method = sent.request().method();
      url = maskQuery(mask(sent.request().url().toString(), sent.secrets()));
      if (sent.request().body().length > 0) {
        body = excerpt(mask(new String(sent.request().body(), StandardCharsets.UTF_8), sent.secrets()));
      }
      if (sent.response().body() != null) {
        response = excerpt(mask(sent.response().body(), sent.secrets()));
      }
    }
    return new DeliveryLogEntry(d.idempotencyKey(), conversion.campaignId(), d.clickId(), d.conversionKey(),
        d.destinationId(), d.status(), attempt, now, kind, method, url, body, logged.httpStatus(), response,
        logged.latencyMillis(), next, logged.error(), possibleRepeat);
  }

  /** {@code text} with each secret value, as written and as URL-encoded, replaced by the mask. */
  static String mask(String text, List<String> secrets) {
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, Masking.MASK).replace(URLEncoder.encode(secret, StandardCharsets.UTF_8), Masking.MASK);
    }
    return out;
  }

  /** Query parameters whose names look secret are masked whatever their value. */
  static String maskQuery(String url) {
    Matcher m = QUERY_PAIR.matcher(url);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = Masking.masked(m.group(2)) && !m.group(3).isEmpty() ? Masking.MASK : m.group(3);
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + m.group(2) + "=" + value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String excerpt(String text) {
    return Params.truncate(text, DeliveryLogEntry.MAX_EXCERPT);
  }
}
