package dev.postbackrelay.net;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {name}} macros in a URL template. Values are URL-encoded (RFC 3986 style: a space
 * becomes {@code %20}, and a value that is only {@code .} or {@code ..} has its dots encoded, so it
 * can never be a dot segment); a known macro without a value becomes empty; unknown macros are left
 * as they are, so that a partner's own placeholders survive.
 *
 * <p>A template's origin (scheme, user info, host and port: everything before the first {@code /},
 * {@code ?} or {@code #} after {@code ://}) never holds a macro: the operator's checks refuse one
 * ({@link #macroInOrigin}), and {@link #fillSameOrigin} checks again after filling, so that no value
 * can ever choose where a request or a redirect goes.
 */
public final class UrlTemplate {

  private static final Pattern MACRO = Pattern.compile("\\{([a-z_][a-z0-9_]*)}");

  /**
   * The macros of a postback URL template. {@code {currency}} is the sale amount's currency,
   * {@code {payout_currency}} the payout's (the campaign's, once converted).
   */
  public static final Set<String> POSTBACK_MACROS = Set.of("click_id", "sub1", "sub2", "sub3",
      "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10", "event", "status", "payout", "amount", "currency", "payout_currency", "txid",
      "campaign_id", "affiliate_id", "external_id");

  /** Thrown by {@link #fillSameOrigin} when the template's origin holds a macro or filling changed it. */
  public static final class OriginChangedException extends IllegalArgumentException {
    OriginChangedException() {
      super("a macro may not stand in the URL's scheme, user info, host or port", null);
    }
  }

  private UrlTemplate() {}

  /**
   * @param known macro names this template language defines (a known name with no value fills empty)
   */
  public static String fill(String template, Map<String, String> values, Set<String> known) {
    return fill(template, values, known, UrlTemplate::encode);
  }

  /** {@link #fill} with another encoding of the values (a partner that wants them less encoded). */
  public static String fill(String template, Map<String, String> values, Set<String> known,
      UnaryOperator<String> encoder) {
    Matcher m = MACRO.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 64);
    while (m.find()) {
      String name = m.group(1);
      String value = values.get(name);
      String replacement = value != null ? encoder.apply(value) : known.contains(name) ? "" : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * {@link #fill}, then proof that the result still has the template's own origin, character for
   * character.
   *
   * @throws OriginChangedException when the template's origin holds a macro (or a brace), or the
   *     filled URL's origin is not the template's
   */
  public static String fillSameOrigin(String template, Map<String, String> values, Set<String> known,
      UnaryOperator<String> encoder) {
    if (macroInOrigin(template)) {
      throw new OriginChangedException();
    }
    String filled = fill(template, values, known, encoder);
    String origin = origin(template);
    if (!filled.startsWith(origin)
        || filled.length() > origin.length() && "/?#".indexOf(filled.charAt(origin.length())) < 0) {
      throw new OriginChangedException();
    }
    return filled;
  }

  /** Whether the template's scheme, user info, host or port hold a brace (a macro), or it has no {@code ://}. */
  public static boolean macroInOrigin(String template) {
    String origin = origin(template);
    return origin == null || origin.indexOf('{') >= 0 || origin.indexOf('}') >= 0;
  }

  /**
   * The template's scheme and authority: the text before the first {@code /}, {@code ?},
   * {@code #} or {@code \} after its {@code ://}; null when it has no scheme followed by {@code ://}.
   */
  static String origin(String template) {
    int sep = template.indexOf("://");
    if (sep < 0 || template.substring(0, sep).chars().anyMatch(c -> c == '/' || c == '?' || c == '#' || c == '\\')) {
      return null; // no scheme: this "://" is in a path or query
    }
    int end = template.length();
    for (int i = sep + 3; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '/' || c == '?' || c == '#' || c == '\\') {
        end = i;
        break;
      }
    }
    return template.substring(0, end);
  }

  public static String encode(String value) {
    return dotSegment(value) ? value.replace(".", "%2E")
        : URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Whether {@code value} is {@code .} or {@code ..}: as a whole path segment it would move the path. */
  public static boolean dotSegment(String value) {
    return value.equals(".") || value.equals("..");
  }
}
