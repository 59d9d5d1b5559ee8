package dev.postbackrelay.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 CIDR block ({@code 203.0.113.0/24}, {@code 2001:db8::/32}, or one address). */
public record Cidr(byte[] network, int prefix) {

  public static Cidr parse(String text) {
    String[] parts = text.trim().split("/", 2);
    try {
      byte[] net = literal(parts[0]).getAddress();
      int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : net.length * 8;
      if (prefix < 0 || prefix > net.length * 8) {
        throw new IllegalArgumentException("prefix out of range: " + text);
      }
      return new Cidr(net, prefix);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR block: " + text, e);
    }
  }

  public boolean contains(String ip) {
    byte[] address;
    try {
      address = literal(ip).getAddress();
    } catch (UnknownHostException | IllegalArgumentException e) {
      return false;
    }
    if (address.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest);
    return (address[full] & mask) == (network[full] & mask);
  }

  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  /** Parses an IP literal without ever doing a DNS lookup: dotted-quad IPv4, or IPv6 (has a ':'). */
  private static InetAddress literal(String ip) throws UnknownHostException {
    if (ip == null || ip.isEmpty()) {
      throw new IllegalArgumentException("not an IP literal");
    }
    boolean v6 = ip.indexOf(':') >= 0 && ip.matches("[0-9a-fA-F:.]+");
    if (!v6 && !IPV4.matcher(ip).matches()) {
      throw new IllegalArgumentException("not an IP literal");
    }
    return InetAddress.getByName(ip);
  }
}
