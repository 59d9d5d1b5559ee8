package dev.postbackrelay.postback;

import static dev.postbackrelay.common.ConversionStatus.APPROVED;
import static dev.postbackrelay.common.ConversionStatus.CHARGEBACK;
import static dev.postbackrelay.common.ConversionStatus.PENDING;
import static dev.postbackrelay.common.ConversionStatus.REJECTED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Params;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusWordsTest {

  private static final Params NONE = Params.of(Map.of());

  @ParameterizedTest
  @CsvSource({
      "pending,PENDING", "lead,PENDING", "hold,PENDING", "on_hold,PENDING", "0,PENDING",
      "approved,APPROVED", "sale,APPROVED", "confirm,APPROVED", "confirmed,APPROVED", "paid,APPROVED", "1,APPROVED",
      "rejected,REJECTED", "declined,REJECTED", "trash,REJECTED", "fraud,REJECTED", "cancelled,REJECTED", "2,REJECTED",
      "chargeback,CHARGEBACK", "refund,CHARGEBACK", "reversed,CHARGEBACK"})
  void defaultTable_mapsTheWordsNetworksSend(String word, ConversionStatus expected) {
    assertEquals(Optional.of(expected), StatusWords.map(word, Map.of(), NONE));
  }

  @Test
  void words_areMatchedIgnoringCaseAndSurroundingSpace() {
    assertEquals(Optional.of(APPROVED), StatusWords.map("  SALE ", Map.of(), NONE));
    assertEquals(Optional.of(REJECTED), StatusWords.map("Declined", Map.of(), NONE));
  }

  @Test
  void unknownWord_mapsToNothing() {
    assertEquals(Optional.empty(), StatusWords.map("weird", Map.of(), NONE));
    assertEquals(Optional.empty(), StatusWords.map("", Map.of(), NONE));
  }

  @Test
  void campaignMap_addsWords_andOverridesTheDefaults() {
    Map<String, ConversionStatus> campaign = Map.of("done", APPROVED, "sale", PENDING);
    assertEquals(Optional.of(APPROVED), StatusWords.map("done", campaign, NONE));
    assertEquals(Optional.of(PENDING), StatusWords.map("sale", campaign, NONE));
    assertEquals(Optional.of(REJECTED), StatusWords.map("trash", campaign, NONE), "defaults still apply");
  }

  @Test
  void inUrlOverrides_mapTheirWord() {
    assertEquals(Optional.of(APPROVED), StatusWords.map("ok", Map.of(), params("sale_status", "ok")));
    assertEquals(Optional.of(PENDING), StatusWords.map("wait", Map.of(), params("lead_status", "wait")));
    assertEquals(Optional.of(REJECTED), StatusWords.map("nope", Map.of(), params("rejected_status", "NOPE")));
    assertEquals(Optional.of(APPROVED), StatusWords.map("again", Map.of(), params("rebill_status", "again")));
    assertEquals(Optional.of(CHARGEBACK), StatusWords.map("cb", Map.of(), params("chargeback_status", "cb")));
  }

  @Test
  void inUrlOverrides_takePrecedenceOverTheCampaignMapAndTheDefaults() {
    Map<String, ConversionStatus> campaign = Map.of("done", PENDING);
    assertEquals(Optional.of(APPROVED), StatusWords.map("done", campaign, params("sale_status", "done")));
    assertEquals(Optional.of(REJECTED), StatusWords.map("sale", Map.of(), params("rejected_status", "sale")));
  }

  @Test
  void inUrlOverride_forAnotherWord_leavesThisOneToTheTables() {
    assertEquals(Optional.of(PENDING), StatusWords.map("lead", Map.of(), params("sale_status", "done")));
  }

  private static Params params(String name, String value) {
    return Params.of(Map.of(name, value));
  }
}
