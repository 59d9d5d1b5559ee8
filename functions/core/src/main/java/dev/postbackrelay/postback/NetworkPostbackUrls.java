package dev.postbackrelay.postback;

import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.common.Param;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The postback URL to paste into each common affiliate network or tracker for one campaign, in that
 * system's own macro syntax.
 *
 * <p>Every macro below is taken from the system's own documentation (the {@code sources} of each
 * entry). Where a system documents no macro for a value (its currency, status or event), the value
 * is left out of its template and named in {@code undocumented}: a guessed macro would arrive
 * literally and be refused as {@code unsubstituted_macro}, which is worse than a missing field.
 *
 * <p>The click id travels out in the landing URL's parameter that carries {@code {click_id}} (or
 * {@code click_id} when the template has none); each entry says which of the system's macros
 * returns that parameter, or which parameter to use instead when the system cannot return it.
 */
public final class NetworkPostbackUrls {

  /** What the operator pastes, and what they must know about it. */
  public record Entry(
      String system,
      String kind,
      String url,
      String clickIdTravelsIn,
      List<String> undocumented,
      List<String> notes,
      List<String> sources) {}

  /** How a system fills our fields: the macro per canonical parameter, null where none is documented. */
  private record System(
      String name,
      String kind,
      Function<String, ClickIdMacro> clickId,
      Map<String, String> fields,
      Map<String, String> fixed,
      List<String> notes,
      List<String> sources) {}

  /** The macro that returns the click id, and the sentence that says how it gets there. */
  private record ClickIdMacro(String macro, String travelsIn) {}

  private static final Pattern CLICK_ID_PARAM = Pattern.compile("[?&]([A-Za-z0-9_.\\-]+)=[^&#]*\\{click_id}");
  private static final Pattern SUB_N = Pattern.compile("sub_?(\\d{1,2})");
  private static final String CLICK_ID = Param.CLICK_ID.canonical();
  /** Our parameters a system's macros fill, in URL order (the click id first, then these). */
  private static final List<String> FIELDS = Stream.of(Param.TXID, Param.PAYOUT, Param.AMOUNT, Param.CURRENCY,
      Param.STATUS, Param.EVENT).map(Param::canonical).toList();

  private static final List<System> SYSTEMS = List.of(
      new System("Everflow", "network",
          param -> subMacro(param, 10, n -> "{sub" + n + "}", "sub1", "Everflow tracking link"),
          fields("txid", "{transaction_id}", "payout", "{payout}"),
          Map.of(),
          List.of("{transaction_id} is Everflow's id of the click, not of the conversion: repeat sales of one event on one"
                  + " click look like duplicates.",
              "Everflow switches a partner postback off after 10 consecutive failures within 72 hours.",
              "For an Event postback, copy the URL with &event=<event name> added."),
          List.of("https://helpdesk.everflow.io/en/articles/6173403-a-guide-to-parameters-and-macros",
              "https://helpdesk.everflow.io/collaborator/managing-postbacks-as-a-partner")),
      new System("Affise", "network",
          param -> subMacro(param, 8, n -> "{sub" + n + "}", "sub1", "Affise tracking link"),
          fields("txid", "{transactionid}", "payout", "{sum}", "amount", "{order_sum}", "currency", "{currency}",
              "status", "{status}", "event", "{goal}"),
          Map.of(Param.SALE_STATUS.canonical(), "1", Param.LEAD_STATUS.canonical(), "2",
              Param.REJECTED_STATUS.canonical(), "3"),
          List.of("Affise sends numeric statuses (1 approved, 2 pending, 3 declined, 5 approved and on hold); the URL maps"
                  + " 1, 2 and 3, and status 5 needs a status_map entry on the campaign.",
              "Affise has no click id macro for affiliate postbacks: the click id must come back in a sub."),
          List.of("https://help-center.affise.com/en/articles/6483741-affiliate-postback-url-macros")),
      new System("TUNE (HasOffers)", "network",
          param -> new ClickIdMacro("{aff_sub}", param.equals("aff_sub")
              ? "aff_sub on the TUNE tracking link, returned as {aff_sub}"
              : "put the click id in aff_sub on the TUNE tracking link (the landing URL sends it in " + param
                  + "); it comes back as {aff_sub}"),
          fields("txid", "{transaction_id}", "payout", "{payout}", "amount", "{amount}"),
          Map.of(),
          List.of("TUNE's {transaction_id} is its own click id; TUNE recommends aff_click_id for unique values, whose"
              + " returning macro is not in the sources available: confirm it with the network."),
          List.of("https://support.tune.com/hc/en-us/articles/1500005137081-Basics-of-Parameters-and-Macros",
              "http://feedback.voluum.com/knowledgebase/articles/318683-postback-urls")),
      new System("CAKE", "network",
          param -> {
            Matcher m = Pattern.compile("s([2-5])").matcher(param);
            return m.matches()
                ? new ClickIdMacro("#s" + m.group(1) + "#", param + " on the CAKE tracking link, returned as #" + param + "#")
                : new ClickIdMacro("#s2#", "put the click id in s2 on the CAKE tracking link (the landing URL sends it in "
                    + param + "); it comes back as #s2#");
          },
          fields("txid", "#leadid#", "payout", "#price#"),
          Map.of(),
          List.of("CAKE sub values hold 100 characters (s1 only 50); our click ids are 32.",
              "#leadid# is CAKE's id of the conversion; #tid# is the transaction id passed to the advertiser."),
          List.of("https://support.getcake.com/support/solutions/articles/5000545788",
              "https://support.getcake.com/en/support/solutions/articles/5000546096")),
      new System("Tracknow", "network",
          param -> null,
          Map.of(),
          Map.of(),
          List.of("Tracknow documents the postback an advertiser sends to Tracknow, not the macros of the postback it"
              + " fires to another tracker: ask the Tracknow network for its affiliate postback macros."),
          List.of("https://docs.tracknow.io/integrations-and-tracking/postback-integration")),
      new System("Keitaro", "tracker",
          param -> new ClickIdMacro("{external_id}", "the traffic source's External ID parameter in Keitaro: pass our"
              + " click id in it and Keitaro returns it as {external_id}"),
          fields("txid", "{tid}", "payout", "{revenue}", "status", "{status:lead=0 sale=1 rejected=2}"),
          Map.of(),
          List.of("The status placeholder maps Keitaro's lead, sale and rejected to 0, 1 and 2, which we read as pending,"
              + " approved and rejected."),
          List.of("https://docs.keitaro.io/en/campaigns-and-streams/s2s-postback-placeholders.html")),
      new System("Binom", "tracker",
          param -> new ClickIdMacro("{externalid}", "the traffic source's External ID in Binom: pass our click id in it"
              + " and Binom returns it as {externalid}"),
          fields("currency", "{cnv_currency}", "status", "{cnv_status}"),
          Map.of(),
          List.of("cnv_status is free text in Binom: map the words your offers use in the campaign's status_map.",
              "Binom's Payout % setting on the traffic source scales the payout it reports."),
          List.of("https://docs.binom.org/create-source.php", "https://docs.binom.org/conv-to-source.php")),
      new System("Voluum", "tracker",
          param -> new ClickIdMacro("{externalid}", "the traffic source's External ID in Voluum: pass our click id in it"
              + " and Voluum returns it as {externalid}"),
          Map.of(),
          Map.of(),
          List.of("Voluum's copied postbacks contain the words REPLACE and OPTIONAL: they must be replaced, not sent."),
          List.of("https://doc.voluum.com/en/traffic_source_postback_url.html")),
      new System("RedTrack", "tracker",
          param -> new ClickIdMacro("{ref_id}", "the click parameter of the RedTrack traffic channel: pass our click id in"
              + " it and RedTrack returns it as {ref_id}"),
          Map.of(),
          Map.of(),
          List.of("RedTrack sends conversion type names exactly as they were added (case-sensitive)."),
          List.of("https://help.redtrack.io/knowledgebase/kb/basic-setup-9785/publisher-management/publisher-panel-settings-for-publisher/")));

  private NetworkPostbackUrls() {}

  /**
   * One entry per system, then a generic one in our own parameter names.
   *
   * @param baseUrl the relay's public base URL, without a trailing slash
   */
  public static List<Entry> forCampaign(Campaign campaign, String baseUrl) {
    String param = clickIdParam(campaign.landingUrl());
    List<Entry> entries = new ArrayList<>();
    for (System s : SYSTEMS) {
      ClickIdMacro click = s.clickId().apply(param);
      List<String> undocumented = new ArrayList<>();
      List<String> notes = new ArrayList<>(authNotes(campaign));
      notes.addAll(s.notes());
      if (click == null) {
        undocumented.add(CLICK_ID);
        undocumented.addAll(FIELDS);
        entries.add(new Entry(s.name(), s.kind(), null, null, undocumented, notes, s.sources()));
        continue;
      }
      Map<String, String> query = new LinkedHashMap<>();
      query.put(CLICK_ID, click.macro());
      for (String field : FIELDS) {
        Optional.ofNullable(s.fields().get(field)).ifPresentOrElse(m -> query.put(field, m), () -> undocumented.add(field));
      }
      query.putAll(s.fixed());
      entries.add(new Entry(s.name(), s.kind(), url(baseUrl, query, campaign), click.travelsIn(), undocumented, notes,
          s.sources()));
    }
    Map<String, String> generic = new LinkedHashMap<>();
    generic.put(CLICK_ID, "{" + CLICK_ID + "}");
    FIELDS.forEach(f -> generic.put(f, "{" + f + "}"));
    entries.add(new Entry("Generic", "any", url(baseUrl, generic, campaign),
        param + " on the link the visitor follows from our redirect; send it back as click_id", List.of(),
        concat(authNotes(campaign), "Replace each {name} with your system's macro for it; leave out what it lacks."),
        List.of("docs/openapi.yaml")));
    return entries;
  }

  /** The landing URL's query parameter that carries {@code {click_id}}; {@code click_id} when none does. */
  static String clickIdParam(String landingUrl) {
    Matcher m = CLICK_ID_PARAM.matcher(landingUrl == null ? "" : landingUrl);
    return m.find() ? m.group(1) : "click_id";
  }

  private static ClickIdMacro subMacro(String param, int subs, Function<Integer, String> macro, String fallback,
      String link) {
    Matcher m = SUB_N.matcher(param);
    if (m.matches()) {
      int n = Integer.parseInt(m.group(1));
      if (n >= 1 && n <= subs) {
        return new ClickIdMacro(macro.apply(n), param + " on the " + link + ", returned as " + macro.apply(n));
      }
    }
    return new ClickIdMacro(macro.apply(1), "put the click id in " + fallback + " on the " + link
        + " (the landing URL sends it in " + param + "); it comes back as " + macro.apply(1));
  }

  private static String url(String baseUrl, Map<String, String> query, Campaign campaign) {
    StringBuilder url = new StringBuilder(baseUrl).append("/postback?").append(Param.CAMPAIGN_ID.canonical()).append('=').append(encode(campaign.id()));
    query.forEach((k, v) -> url.append('&').append(k).append('=').append(v));
    if (campaign.postbackToken() != null) {
      url.append('&').append(Param.TOKEN.canonical()).append('=').append(encode(campaign.postbackToken()));
    }
    return url.toString();
  }

  private static List<String> authNotes(Campaign campaign) {
    List<String> notes = new ArrayList<>();
    if (campaign.postbackToken() != null) {
      notes.add("The URL carries the campaign's postback token: share it only with this network.");
    }
    if (campaign.signingSecret() != null) {
      notes.add("The campaign requires an HMAC signature (ts and sig parameters, docs/postback-signing.md), which"
          + " macros cannot compute: the sender must sign each request in code.");
    }
    if (!campaign.ipAllowlist().isEmpty()) {
      notes.add("Postbacks are accepted only from " + String.join(", ", campaign.ipAllowlist())
          + ": add the network's server addresses to ip_allowlist.");
    }
    return notes;
  }

  private static List<String> concat(List<String> a, String b) {
    List<String> all = new ArrayList<>(a);
    all.add(b);
    return all;
  }

  private static Map<String, String> fields(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
