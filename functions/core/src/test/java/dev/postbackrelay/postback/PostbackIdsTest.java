package dev.postbackrelay.postback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PostbackIdsTest {

  private final PostbackIds ids = new PostbackIds();

  @Test
  void id_is26UrlSafeCharacters() {
    String id = ids.next(Instant.parse("2025-01-01T12:00:00Z"));
    assertEquals(26, id.length());
    assertTrue(id.matches("[0-9a-hjkmnp-tv-z]{26}"), id);
  }

  @Test
  void idsMadeAtIncreasingTimes_sortLexicographically() {
    List<String> made = new ArrayList<>();
    Instant t = Instant.parse("2025-01-01T12:00:00Z");
    for (int i = 0; i < 500; i++) {
      made.add(ids.next(t));
      t = t.plusMillis(i < 250 ? 1 : (long) i * i * 1013);
    }
    List<String> sorted = new ArrayList<>(made);
    sorted.sort(null);
    assertEquals(made, sorted);
  }

  @Test
  void idsMadeInTheSameMillisecond_areDistinct_andShareTheTimePrefix() {
    Instant t = Instant.parse("2025-01-01T12:00:00.007Z");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = ids.next(t);
      assertTrue(seen.add(id));
      assertEquals(ids.next(t).substring(0, 10), id.substring(0, 10));
    }
  }
}
