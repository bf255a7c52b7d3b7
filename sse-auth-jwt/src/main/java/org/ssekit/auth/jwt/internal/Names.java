package org.ssekit.auth.jwt.internal;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The checks of the names a {@code JwtAuthorizer} is configured with: each message names the
 * setting, the rule and the char's index.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class Names {
  private static final String TOKEN_SPECIALS = "!#$%&'*+-.^_`|~";

  private Names() {}

  /**
   * Requires an HTTP token (RFC 7230 {@code tchar}s), as cookie and parameter names are.
   *
   * @throws NullPointerException naming {@code field} if {@code name} is null
   * @throws IllegalArgumentException naming {@code field} if it is empty or has another char
   */
  public static String requireToken(String field, String name) {
    Objects.requireNonNull(name, field);
    if (name.isEmpty()) {
      throw new IllegalArgumentException(field + " empty: name one, such as access_token");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || TOKEN_SPECIALS.indexOf(c) >= 0;
      if (!ok) {
        throw new IllegalArgumentException(
            field + " has a char not allowed in a token at " + i + ": 0x" + Integer.toHexString(c));
      }
    }
    return name;
  }

  /**
   * Requires printable ASCII without {@code "} or {@code \}, to be quoted in a header.
   *
   * @throws NullPointerException naming {@code field} if {@code value} is null
   * @throws IllegalArgumentException naming {@code field} if it is empty or has another char
   */
  public static String requireQuotable(String field, String value) {
    Objects.requireNonNull(value, field);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(field + " empty: name one, such as ssekit");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        throw new IllegalArgumentException(
            field + " has a char that cannot be quoted at " + i + ": 0x" + Integer.toHexString(c));
      }
    }
    return value;
  }

  /**
   * Copies {@code values} into an ordered set.
   *
   * @throws NullPointerException naming {@code field} if the array or an element is null
   */
  public static Set<String> copy(String field, String... values) {
    Objects.requireNonNull(values, field);
    Set<String> copy = new LinkedHashSet<>();
    for (String value : values) {
      copy.add(Objects.requireNonNull(value, field));
    }
    return copy;
  }
}
