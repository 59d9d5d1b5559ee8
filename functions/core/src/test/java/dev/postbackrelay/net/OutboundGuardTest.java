package dev.postbackrelay.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundGuardTest {

  /** Every IP literal here is parsed, never looked up. */
  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  private static OutboundGuard guardResolving(Map<String, List<String>> dns) {
    return new OutboundGuard(false, host -> {
      List<String> answers = dns.get(host);
      if (answers == null) {
        throw new UnknownHostException(host);
      }
      InetAddress[] out = new InetAddress[answers.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = ip(answers.get(i));
      }
      return out;
    });
  }

  private static void assertForbidden(Runnable call) {
    RejectedException e = assertThrows(RejectedException.class, call::run);
    assertEquals(Reason.FORBIDDEN_DESTINATION, e.reason());
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://partner.example/pb?cid={click_id}", "http://partner.example:8080/pb",
      "HTTPS://Partner.Example/pb", "https://203.0.113.10/pb"})
  void httpAndHttpsUrls_haveAnAcceptableShape(String url) {
    new OutboundGuard(false).checkShape(url);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://partner.example/pb", "file:///etc/passwd", "javascript:alert(1)",
      "gopher://partner.example:70/_x", "//partner.example/pb", "partner.example/pb", "http:///pb",
      "https://user:pass@partner.example/pb", "https://user@partner.example/pb", "http://a b/", "dict://x:11211/"})
  void otherSchemes_credentials_andMalformedUrls_areRefused(String url) {
    assertForbidden(() -> new OutboundGuard(true).checkShape(url));
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255",
      "192.168.0.1", "192.168.255.255", "169.254.169.254", "169.254.0.1", "100.64.0.1", "100.127.255.255",
      "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1", "192.0.0.170",
      "198.18.0.1", "::1", "::", "fc00::1", "fd00::1", "fd00:ec2::254", "fe80::1", "febf::1", "ff02::1",
      "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "fec0::1"})
  void internalAddresses_areRefused(String literal) throws UnknownHostException {
    assertFalse(new OutboundGuard(false).isAllowed(ip(literal)), literal);
  }

  @Test
  void ipv4MappedIpv6Addresses_areJudgedByTheirIpv4Address() throws UnknownHostException {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 169;
    mapped[13] = (byte) 254;
    mapped[14] = (byte) 169;
    mapped[15] = (byte) 254;
    InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);
    assertTrue(v6 instanceof Inet6Address, "a true IPv6 object, not converted to IPv4");
    assertFalse(new OutboundGuard(false).isAllowed(v6));
    mapped[12] = (byte) 203;
    mapped[13] = 0;
    mapped[14] = (byte) 113;
    mapped[15] = 10;
    assertTrue(new OutboundGuard(false).isAllowed(Inet6Address.getByAddress(null, mapped, -1)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "203.0.113.10", "172.15.255.255", "172.32.0.1", "100.63.255.255",
      "100.128.0.1", "192.169.0.1", "11.0.0.1", "169.253.255.255", "2606:4700:4700::1111", "2001:db8::1",
      "::ffff:8.8.8.8"})
  void publicAddresses_areAllowed(String literal) throws UnknownHostException {
    assertTrue(new OutboundGuard(false).isAllowed(ip(literal)), literal);
  }

  @Test
  void loopback_isAllowedOnlyWhenAllowed_andNothingElseInternalIs() throws UnknownHostException {
    OutboundGuard local = new OutboundGuard(true);
    assertTrue(local.isAllowed(ip("127.0.0.1")));
    assertTrue(local.isAllowed(ip("::1")));
    assertFalse(local.isAllowed(ip("10.0.0.1")));
    assertFalse(local.isAllowed(ip("169.254.169.254")));
    assertFalse(local.isAllowed(ip("fd00:ec2::254")));
    assertFalse(new OutboundGuard(false).isAllowed(ip("127.0.0.1")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1/pb", "http://169.254.169.254/latest/meta-data/", "http://[::1]:8080/",
      "http://[fd00:ec2::254]/latest/meta-data/", "http://0.0.0.0:8080/", "http://[::ffff:127.0.0.1]/",
      "http://10.0.0.5/pb", "https://192.168.1.1/"})
  void urlsWithInternalAddressLiterals_areRefused(String url) {
    assertForbidden(() -> new OutboundGuard(false).checkAndResolve(URI.create(url)));
  }

  @Test
  void hostResolvingToPublicAddresses_isAllowed_andTheApprovedAddressReturned() throws UnknownHostException {
    OutboundGuard guard = guardResolving(Map.of("partner.example", List.of("203.0.113.10", "203.0.113.11")));
    assertEquals(ip("203.0.113.10"), guard.checkAndResolve(URI.create("https://partner.example/pb?x=1")));
  }

  @Test
  void hostResolvingToOnePublicAndOnePrivateAddress_isRefused() {
    OutboundGuard guard = guardResolving(Map.of(
        "rebind.example", List.of("203.0.113.10", "10.0.0.7"),
        "rebind2.example", List.of("169.254.169.254", "203.0.113.10")));
    assertForbidden(() -> guard.checkAndResolve(URI.create("https://rebind.example/pb")));
    assertForbidden(() -> guard.checkAndResolve(URI.create("https://rebind2.example/pb")));
  }

  @Test
  void hostThatDoesNotResolve_isATransientFailure_notAForbiddenOne() {
    org.junit.jupiter.api.Assertions.assertThrows(OutboundGuard.UnresolvedHostException.class,
        () -> guardResolving(Map.of()).checkAndResolve(URI.create("https://nowhere.example/pb")));
  }

  @Test
  void explicitExceptions_allowTheirBlockOnly_andCanNeverCoverLoopbackOrMetadata() throws Exception {
    OutboundGuard guard = new OutboundGuard(false, List.of("10.20.0.0/16"), host -> new java.net.InetAddress[0]);
    assertTrue(guard.isAllowed(java.net.InetAddress.getByName("10.20.3.4")));
    assertFalse(guard.isAllowed(java.net.InetAddress.getByName("10.21.3.4")));
    for (String wide : new String[] {"127.0.0.0/8", "169.254.0.0/16", "0.0.0.0/0", "::1/128"}) {
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> new OutboundGuard(false, List.of(wide), host -> new java.net.InetAddress[0]));
    }
  }

  @Test
  void literalInternalAddresses_areRefusedAlreadyWhenACampaignIsStored() {
    for (String url : new String[] {"http://169.254.169.254/latest", "http://10.1.2.3/pb", "http://[fd00:ec2::254]/x",
        "http://127.0.0.1:8080/pb"}) {
      assertForbidden(() -> new OutboundGuard(false).checkShape(url));
    }
    new OutboundGuard(true).checkShape("http://127.0.0.1:8080/pb?c={click_id}");
    new OutboundGuard(false).checkShape("https://partner.example.com/pb?c={click_id}");
  }

  @Test
  void wrongScheme_isRefusedBeforeAnyLookup() {
    AtomicInteger lookups = new AtomicInteger();
    OutboundGuard guard = new OutboundGuard(false, host -> {
      lookups.incrementAndGet();
      return new InetAddress[] {ip("203.0.113.10")};
    });
    assertForbidden(() -> guard.checkAndResolve(URI.create("ftp://partner.example/pb")));
    assertEquals(0, lookups.get());
  }

  @Test
  void nat64FormsOfInternalAddresses_areRefused() throws UnknownHostException {
    assertFalse(new OutboundGuard(false).isAllowed(ip("64:ff9b::a9fe:a9fe")), "169.254.169.254 via NAT64");
    assertFalse(new OutboundGuard(false).isAllowed(ip("64:ff9b::a00:1")), "10.0.0.1 via NAT64");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "::a00:1", "::7f00:1", "::a9fe:a9fe", "::c0a8:101",                  // IPv4-compatible ::/96
      "2002:a00:1::1", "2002:7f00:1::", "2002:a9fe:a9fe::", "2002:ac10:1::5",  // 6to4 2002::/16
      "2001:0:4136:e378:8000:63bf:f5ff:fffe",                               // Teredo, client 10.0.0.1
      "2001:0:4136:e378:8000:63bf:5601:5601",                               // Teredo, client 169.254.169.254
      "2001:0:4136:e378:8000:63bf:80ff:fffe",                               // Teredo, client 127.0.0.1
      "2001:0:a00:1:8000:63bf:34ff:8ef5"})                                  // Teredo, server 10.0.0.1
  void ipv6FormsThatEmbedAnInternalIpv4Address_areRefused(String literal) throws UnknownHostException {
    assertFalse(new OutboundGuard(false).isAllowed(ip(literal)), literal);
    assertForbidden(() -> new OutboundGuard(false).checkShape("http://[" + literal + "]/pb"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2002:cb00:710a::1", "2001:0:4136:e378:8000:63bf:34ff:8ef5", "::cb00:710a"})
  void ipv6FormsThatEmbedAPublicIpv4Address_areJudgedByIt(String literal) throws UnknownHostException {
    assertTrue(new OutboundGuard(false).isAllowed(ip(literal)), literal + " embeds 203.0.113.10");
  }

  @Test
  void restrictedPorts_refuseEveryOtherPort_withTheAllowedOnesNamed() {
    OutboundGuard guard = new OutboundGuard(false, List.of(), List.of(80, 443), host -> new InetAddress[] {ip("203.0.113.10")});
    assertEquals("203.0.113.10", guard.checkAndResolve(URI.create("https://partner.example/pb")).getHostAddress());
    guard.checkAndResolve(URI.create("http://partner.example:80/pb"));
    guard.checkAndResolve(URI.create("https://partner.example:443/pb"));
    for (String url : new String[] {"http://partner.example:8080/pb", "https://partner.example:8443/pb",
        "https://partner.example:22/"}) {
      RejectedException e = assertThrows(RejectedException.class, () -> guard.checkAndResolve(URI.create(url)), url);
      assertEquals(Reason.FORBIDDEN_DESTINATION, e.reason());
      assertTrue(e.getMessage().contains("80, 443"), e.getMessage());
    }
  }

  @Test
  void byDefault_anyPortIsAllowed() {
    OutboundGuard guard = new OutboundGuard(false, host -> new InetAddress[] {ip("203.0.113.10")});
    guard.checkAndResolve(URI.create("http://partner.example:8080/pb"));
    guard.checkAndResolve(URI.create("https://partner.example:65535/pb"));
  }
}
