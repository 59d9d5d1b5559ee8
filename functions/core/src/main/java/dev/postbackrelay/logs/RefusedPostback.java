package dev.postbackrelay.logs;

import dev.postbackrelay.common.Masking;
import dev.postbackrelay.common.Param;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.RejectedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A postback the edge refused (a 4xx), kept so that an operator can find it when a network says
 * "we sent it": what arrived, as sent (credential values masked), what it was read as, and why it
 * was refused.
 *
 * @param id time-sortable, from the same generator as accepted postbacks' ids
 * @param campaignId the campaign the postback named or was resolved to, or null for none
 * @param params every name/value pair as it arrived, in order, repeats kept, credentials masked;
 *     empty when the request could not be read as parameters at all
 * @param fields what each canonical parameter read (through which name: {@code fieldNames})
 * @param fieldNames for each canonical parameter read, the name it was read under (an alias or itself)
 * @param reason the reason code
 * @param message the sentence the sender was given
 */
public record RefusedPostback(
    String id,
    Instant receivedAt,
    String method,
    String sourceIp,
    String campaignId,
    List<Map.Entry<String, String>> params,
    Map<String, String> fields,
    Map<String, String> fieldNames,
    String reason,
    String message) {

  /** Parameters kept per refusal, and the characters kept of each value: a record stays small. */
  public static final int MAX_PARAMS = Masking.MAX_PAIRS;
  public static final int MAX_VALUE = Masking.MAX_PAIR_VALUE;

  public RefusedPostback {
    params = List.copyOf(params);
    fields = Map.copyOf(fields);
    fieldNames = Map.copyOf(fieldNames);
  }

  /**
   * The record of {@code refusal} for a postback whose parameters were read ({@code params} null
   * when reading them was what failed).
   */
  public static RefusedPostback of(String id, Instant receivedAt, String method, String sourceIp, Params params,
      RejectedException refusal) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    Map<String, String> fields = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    if (params != null) {
      pairs.addAll(Masking.asSent(params));
      for (Param param : Param.values()) {
        if (param.readBy(Param.Route.POSTBACK)) {
          params.firstNamed(param).ifPresent(named -> {
            fields.put(param.canonical(), Masking.value(param.canonical(), named.getValue(), MAX_VALUE));
            names.put(param.canonical(), named.getKey());
          });
        }
      }
    }
    String campaignId = refusal.campaignId() != null ? refusal.campaignId() : fields.get(Param.CAMPAIGN_ID.canonical());
    return new RefusedPostback(id, receivedAt, method, sourceIp, campaignId, pairs, fields, names,
        refusal.reason().code(), refusal.getMessage());
  }
}
