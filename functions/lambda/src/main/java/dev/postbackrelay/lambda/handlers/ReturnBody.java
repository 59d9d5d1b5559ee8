package dev.postbackrelay.lambda.handlers;

/** The {@code return=} reply body: at most 64 plain characters, so it cannot carry markup. */
final class ReturnBody {

  private ReturnBody() {}

  static String sanitise(String requested) {
    String plain = requested.replaceAll("[^A-Za-z0-9 _.:-]", "");
    return plain.length() <= 64 ? plain : plain.substring(0, 64);
  }
}
