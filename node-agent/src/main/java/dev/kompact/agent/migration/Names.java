package dev.kompact.agent.migration;

import io.grpc.Status;
import java.util.regex.Pattern;

/** Migration and container ids become file and namespace names: only a safe alphabet is accepted. */
final class Names {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private Names() {}

  static String check(String what, String value) {
    if (!SAFE.matcher(value).matches()) {
      throw Status.INVALID_ARGUMENT.withDescription(what + " '" + value
          + "' must be 1-64 characters of letters, digits, '_', '.', '-', starting with a letter or digit")
          .asRuntimeException();
    }
    return value;
  }
}
