package dev.postbackrelay.forwarding;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {name}} macros in a URL template. Values are URL-encoded (RFC 3986 style: a space
 * becomes {@code %20}); a known macro without a value becomes empty; unknown macros are left as
 * they are, so that a partner's own placeholders survive.
 */
public final class UrlTemplate {

  private static final Pattern MACRO = Pattern.compile("\\{([a-z_][a-z0-9_]*)}");

  /**
   * The macros of a postback URL template. {@code {currency}} is the sale amount's currency,
   * {@code {payout_currency}} the payout's (the campaign's, once converted).
   */
  public static final java.util.Set<String> POSTBACK_MACROS = java.util.Set.of("click_id", "sub1", "sub2", "sub3",
      "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10", "event", "status", "payout", "amount", "currency", "payout_currency", "txid",
      "campaign_id", "affiliate_id", "external_id");

  private UrlTemplate() {}

  /**
   * @param known macro names this template language defines (a known name with no value fills empty)
   */
  public static String fill(String template, Map<String, String> values, java.util.Set<String> known) {
    Matcher m = MACRO.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 64);
    while (m.find()) {
      String name = m.group(1);
      String value = values.get(name);
      String replacement = value != null ? encode(value) : known.contains(name) ? "" : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
