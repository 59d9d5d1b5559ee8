package dev.postbackrelay.campaign;

import static dev.postbackrelay.testing.RecordCopies.assertChangedOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.postbackrelay.common.ConversionStatus;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DestinationCopiesTest {

  private static final Destination META = new Destination("meta", Destination.Type.META_CAPI, "aff-1", null, "POST",
      Destination.BodyFormat.JSON, false, Set.of("sale"), Set.of(ConversionStatus.APPROVED),
      Set.of(Destination.Trigger.CREATED), "ssm:signing", Map.of("pixel_id", "123", "access_token", "ssm:token"));

  @Test
  void withSettings_changesOnlyTheSettings() {
    Map<String, String> resolved = Map.of("pixel_id", "123", "access_token", "EAAB-resolved");

    Destination changed = META.withSettings(resolved);

    assertEquals(resolved, changed.settings());
    assertChangedOnly(META, changed, "settings");
  }

  @Test
  void withSigningSecret_changesOnlyTheSigningSecret() {
    Destination changed = META.withSigningSecret("resolved-secret");

    assertEquals("resolved-secret", changed.signingSecret());
    assertChangedOnly(META, changed, "signingSecret");
  }
}
