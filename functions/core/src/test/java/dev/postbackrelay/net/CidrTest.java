package dev.postbackrelay.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  @Test
  void ipv4Block_containsItsAddresses_only() {
    Cidr block = Cidr.parse("203.0.113.0/24");
    assertTrue(block.contains("203.0.113.0"));
    assertTrue(block.contains("203.0.113.255"));
    assertFalse(block.contains("203.0.114.1"));
    assertFalse(block.contains("203.0.112.255"));
  }

  @Test
  void prefixNotOnAByteBoundary_masksTheBits() {
    Cidr block = Cidr.parse("172.16.0.0/12");
    assertTrue(block.contains("172.16.0.1"));
    assertTrue(block.contains("172.31.255.255"));
    assertFalse(block.contains("172.32.0.0"));
    assertFalse(block.contains("172.15.255.255"));
  }

  @Test
  void singleAddress_isASlash32() {
    Cidr one = Cidr.parse("198.51.100.7");
    assertTrue(one.contains("198.51.100.7"));
    assertFalse(one.contains("198.51.100.8"));
  }

  @Test
  void slash0_containsEveryAddressOfItsFamily() {
    assertTrue(Cidr.parse("0.0.0.0/0").contains("8.8.8.8"));
    assertFalse(Cidr.parse("0.0.0.0/0").contains("2001:db8::1"));
  }

  @Test
  void ipv6Block_containsItsAddresses_only() {
    Cidr block = Cidr.parse("2001:db8::/32");
    assertTrue(block.contains("2001:db8::1"));
    assertTrue(block.contains("2001:0db8:ffff::1"));
    assertFalse(block.contains("2001:db9::1"));
    assertFalse(block.contains("203.0.113.1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "garbage", "not-an-ip", "2001:db8::1%eth0", "203.0.113.1 ", "<script>"})
  void nonAddresses_areNotContained(String candidate) {
    assertFalse(Cidr.parse("0.0.0.0/0").contains(candidate));
  }

  @Test
  void nullAddress_isNotContained() {
    assertFalse(Cidr.parse("0.0.0.0/0").contains(null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x", "2001:db8::/129", "example.com/24", "/24"})
  void malformedBlocks_areRefused(String text) {
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
  }
}
