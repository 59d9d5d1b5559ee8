package dev.postbackrelay.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UrlTemplateTest {

  private static final Set<String> KNOWN = UrlTemplate.POSTBACK_MACROS;

  @Test
  void values_areUrlEncoded_spaceAsPercent20() {
    assertEquals("https://p.example/pb?s=a%20b%26c%3Dd%2Be%2Ff%3Fg%23h",
        UrlTemplate.fill("https://p.example/pb?s={sub1}", Map.of("sub1", "a b&c=d+e/f?g#h"), KNOWN));
  }

  @Test
  void nonAsciiValues_areUtf8PercentEncoded() {
    assertEquals("https://p.example/?s=%C3%BC%E2%82%AC%E4%B8%AD",
        UrlTemplate.fill("https://p.example/?s={sub1}", Map.of("sub1", "ü€中"), KNOWN));
  }

  @Test
  void everyOccurrence_isFilled() {
    assertEquals("https://p.example/c1/?a=c1&b=c1",
        UrlTemplate.fill("https://p.example/{click_id}/?a={click_id}&b={click_id}", Map.of("click_id", "c1"), KNOWN));
  }

  @Test
  void knownMacroWithoutValue_becomesEmpty() {
    assertEquals("https://p.example/?p=&c=abc",
        UrlTemplate.fill("https://p.example/?p={payout}&c={click_id}", Map.of("click_id", "abc"), KNOWN));
  }

  @Test
  void unknownMacro_isKeptAsItIs() {
    assertEquals("https://p.example/?c=abc&mine={aff_sub}&UP={CLICK_ID}",
        UrlTemplate.fill("https://p.example/?c={click_id}&mine={aff_sub}&UP={CLICK_ID}", Map.of("click_id", "abc"), KNOWN));
  }

  @Test
  void valuesThatLookLikeMacrosOrReplacementSyntax_areNotExpandedAgain() {
    assertEquals("https://p.example/?s=%7Bclick_id%7D%241%5C",
        UrlTemplate.fill("https://p.example/?s={sub1}", Map.of("sub1", "{click_id}$1\\", "click_id", "x"), KNOWN));
  }

  @Test
  void templateWithoutMacros_isUnchanged() {
    assertEquals("https://p.example/pb?x=1", UrlTemplate.fill("https://p.example/pb?x=1", Map.of("sub1", "v"), KNOWN));
  }

  @Test
  void encode_keepsUnreservedCharacters() {
    assertEquals("AZaz09-._", UrlTemplate.encode("AZaz09-._"));
  }
}
