package dev.postbackrelay.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DeliveryFailureTest {

  @ParameterizedTest
  @EnumSource(DeliveryError.class)
  void everyError_readsBackFromWhatItWrites_withAndWithoutDetail(DeliveryError error) {
    for (DeliveryFailure f : new DeliveryFailure[] {error.failure(), error.with("a detail: with (parts)")}) {
      assertEquals(Optional.of(f), DeliveryFailure.parse(f.reason()), f.reason());
      assertEquals(Optional.of(f), DeliveryFailure.parse(f.recorded()), f.recorded());
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "HTTP_STATUS           | 503                         | http_503",
      "REDIRECT_NOT_FOLLOWED | https://elsewhere.example/ | redirect_not_followed (Location: https://elsewhere.example/)",
      "TLS                   | SSLHandshakeException       | tls: SSLHandshakeException",
      "FORBIDDEN_DESTINATION | loopback address            | forbidden_destination: loopback address",
      "MISSING_SETTING       | pixel_id                    | skipped: missing_setting: pixel_id",
      "RETRIES_EXHAUSTED     | http_500                    | retries_exhausted: http_500"})
  void theWrittenForms_areTheWireValuesOfTheDeliveryLog(DeliveryError error, String detail, String recorded) {
    assertEquals(recorded, error.with(detail).recorded());
  }

  @Test
  void aSkipIsRecordedBehindSkipped_andItsReasonIsWithout() {
    DeliveryFailure tooOld = DeliveryError.EVENT_TOO_OLD.with("Meta refuses events older than 7 days");
    assertEquals("event_too_old: Meta refuses events older than 7 days", tooOld.reason());
    assertEquals(DeliveryFailure.SKIPPED + tooOld.reason(), tooOld.recorded());
    assertEquals("timeout", DeliveryError.TIMEOUT.failure().recorded(), "only skips carry the prefix");
  }

  @Test
  void textThatIsNoDeliveryError_isNotRead() {
    assertEquals(Optional.empty(), DeliveryFailure.parse("something else"));
    assertEquals(Optional.empty(), DeliveryFailure.parse("skipped: timeout"), "a retried error is never a skip");
    assertEquals(Optional.empty(), DeliveryFailure.parse(null));
  }

  @Test
  void aPlanSkips_onlyForASkipError() {
    assertThrows(IllegalArgumentException.class, () -> new DeliveryPlan.Skip(DeliveryError.TIMEOUT.failure()));
    assertEquals(DeliveryError.Disposition.SKIP, new DeliveryPlan.Skip(DeliveryError.INVALID_URL.with("x")).failure()
        .disposition());
  }

  @Test
  void outcomesReadTheirReasons_asTheDeadLetterQueueRecordsThem() {
    assertEquals(new DeliveryOutcome.Dead(DeliveryError.RETRIES_EXHAUSTED.with("timeout")),
        new DeliveryOutcome.Dead("retries_exhausted: timeout"));
    assertThrows(IllegalArgumentException.class, () -> new DeliveryOutcome.Skipped("no such reason"));
  }
}
