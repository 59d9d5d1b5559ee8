package dev.postbackrelay.click;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClickIdsTest {

  private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
  private static final byte[] KEY_2024 = "click-id-key-2024-aaaaaaaaaaaaaaaa".getBytes(StandardCharsets.UTF_8);
  private static final byte[] KEY_2025 = "click-id-key-2025-bbbbbbbbbbbbbbbb".getBytes(StandardCharsets.UTF_8);
  private static final Instant T = Instant.parse("2025-01-01T12:00:00.123Z");

  private final ClickIds ids = new ClickIds(List.of(KEY_2025));

  @Test
  void issuedId_verifies() {
    String id = ids.issue(T);
    assertTrue(ids.verify(id));
  }

  @Test
  void issuedId_is32UrlSafeCharacters() {
    String id = ids.issue(T);
    assertEquals(ClickIds.LENGTH, id.length());
    assertTrue(id.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0), id);
  }

  @Test
  void issuedAt_returnsTheIssueTime_toTheMillisecond() {
    assertEquals(T, ClickIds.issuedAt(ids.issue(T)));
    Instant late = Instant.parse("2999-12-31T23:59:59.999Z");
    assertEquals(late, ClickIds.issuedAt(ids.issue(late)));
  }

  @Test
  void issuedAt_ofGarbage_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> ClickIds.issuedAt("not-a-click-id"));
  }

  @Test
  void idsIssuedAtIncreasingTimes_sortLexicographically() {
    List<String> issued = new ArrayList<>();
    Instant t = T;
    // 1 ms steps across byte boundaries, then growing steps up to years
    for (int i = 0; i < 600; i++) {
      issued.add(ids.issue(t));
      t = t.plusMillis(i < 300 ? 1 : (long) i * i * 997);
    }
    List<String> sorted = new ArrayList<>(issued);
    sorted.sort(null);
    assertEquals(issued, sorted);
  }

  @Test
  void idsIssuedInTheSameMillisecond_areDistinct() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      assertTrue(seen.add(ids.issue(T)));
    }
  }

  @Test
  void randomPart_comesFromTheInjectedSource() {
    ClickIds seeded = new ClickIds(List.of(KEY_2025), () -> new SecureRandom(new byte[] {1}) {
      @Override
      public void nextBytes(byte[] bytes) {
        java.util.Arrays.fill(bytes, (byte) 7);
      }
    });
    assertEquals(seeded.issue(T), seeded.issue(T), "same time and nonce, same id");
    assertTrue(seeded.verify(seeded.issue(T)));
  }

  @Test
  void forgedId_isRejected() {
    assertFalse(ids.verify("0123456789abcdefghjkmnpqrstvwxyz"));
    assertFalse(ids.verify("00000000000000000000000000000000"));
    assertFalse(ids.verify("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"));
  }

  @Test
  void truncatedOrExtendedId_isRejected() {
    String id = ids.issue(T);
    for (int len = 0; len < id.length(); len++) {
      assertFalse(ids.verify(id.substring(0, len)), "truncated to " + len);
    }
    assertFalse(ids.verify(id + "0"));
    assertFalse(ids.verify(" " + id));
    assertFalse(ids.verify(id.substring(1)));
  }

  @Test
  void idWithAnyOneCharacterChanged_isRejected() {
    String id = ids.issue(T);
    for (int pos = 0; pos < id.length(); pos++) {
      for (char c : ALPHABET.toCharArray()) {
        if (c == id.charAt(pos)) {
          continue;
        }
        String mangled = id.substring(0, pos) + c + id.substring(pos + 1);
        assertFalse(ids.verify(mangled), "changed position " + pos + " to " + c);
      }
    }
  }

  @Test
  void idInAnotherCase_orWithLookalikes_isRejected() {
    String id = ids.issue(T);
    assertFalse(ids.verify(id.toUpperCase()));
    assertFalse(ids.verify("i" + id.substring(1)));
    assertFalse(ids.verify("\u00e9" + id.substring(1)));
    assertFalse(ids.verify("\u0660" + id.substring(1))); // Arabic-Indic zero
    assertFalse(ids.verify(null));
    assertFalse(ids.verify(""));
  }

  @Test
  void idIssuedWithAnotherKey_isRejected() {
    ClickIds other = new ClickIds(List.of(KEY_2024));
    assertFalse(ids.verify(other.issue(T)));
    assertFalse(other.verify(ids.issue(T)));
  }

  @Test
  void keyRotation_oldIdsVerifyWhileTheOldKeyIsListed_andNotAfterItIsRemoved() {
    String issuedBeforeRotation = new ClickIds(List.of(KEY_2024)).issue(T);

    ClickIds rotated = new ClickIds(List.of(KEY_2025, KEY_2024));
    ClickIds oldKeyRemoved = new ClickIds(List.of(KEY_2025));

    assertTrue(rotated.verify(issuedBeforeRotation));
    assertFalse(oldKeyRemoved.verify(issuedBeforeRotation));
  }

  @Test
  void keyRotation_newIdsAreTaggedWithTheFirstKey() {
    String issuedAfterRotation = new ClickIds(List.of(KEY_2025, KEY_2024)).issue(T);
    assertTrue(new ClickIds(List.of(KEY_2025)).verify(issuedAfterRotation));
    assertFalse(new ClickIds(List.of(KEY_2024)).verify(issuedAfterRotation));
  }

  @Test
  void missingOrShortKeys_areRefusedAtConstruction() {
    assertThrows(IllegalArgumentException.class, () -> new ClickIds(List.of()));
    assertThrows(IllegalArgumentException.class, () -> new ClickIds(List.of("too-short".getBytes(StandardCharsets.UTF_8))));
    assertThrows(IllegalArgumentException.class, () -> new ClickIds(List.of(KEY_2025, new byte[15])));
  }

  @Test
  void differentTimes_giveDifferentPrefixes() {
    assertNotEquals(ids.issue(T).substring(0, 9), ids.issue(T.plus(Duration.ofDays(1))).substring(0, 9));
  }
}
