package org.ssekit.auth.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.ssekit.Authorization;
import org.ssekit.Authorizer;
import org.ssekit.StreamRequest;
import org.ssekit.auth.jwt.internal.Names;
import org.ssekit.auth.jwt.internal.TokenLookup;
import org.ssekit.auth.jwt.internal.TokenRules;
import org.ssekit.auth.jwt.internal.TopicGrants;
import org.ssekit.auth.jwt.internal.VerificationKeys;

/**
 * An {@link Authorizer} on signed JSON Web Tokens: the token's signature, times, issuer and
 * audience say who the client is, and its topic claims say what it may read.
 *
 * <pre>{@code
 * Authorizer authorizer = JwtAuthorizer.builder()
 *     .hmacSecret(secretBytes)               // or publicKey(rsaOrEcKey), jwks(Path.of("jwks.json"))
 *     .cookieName("mercureAuthorization")    // EventSource sends cookies; fetch sends Bearer
 *     .audience("chat")
 *     .build();
 * }</pre>
 *
 * <p><b>The token</b> comes from an {@code Authorization: Bearer} header, else from the {@linkplain
 * Builder#cookieName cookie}. A token in the query string (parameter {@code access_token} unless
 * {@linkplain Builder#queryParameter renamed}) is refused, unless {@linkplain
 * Builder#allowQueryToken allowed}: URLs end up in access logs and browser history.
 *
 * <p><b>The topics</b> a token may read are the union of the {@linkplain Builder#topicsClaim topics
 * claim} (ssekit selection entries such as {@code rooms/*} or {@code users/42/**}) and Mercure's
 * {@code mercure.subscribe} selectors ({@code *}, exact topics, and {@code {id}}-style URI-template
 * segments; see the module README). Every entry of the requested selection must be covered by the
 * same rule as {@link org.ssekit.PrincipalAuthorizer}'s templates: a selector is covered only if
 * every topic it can match is one the token may read.
 *
 * <p><b>Decisions:</b> no token: {@code 401} challenged with {@code Bearer realm="<realm>"}. A
 * token that is oversized, malformed, unsigned ({@code alg: none}), of an algorithm not allowed,
 * signed with another key or tampered, expired, not yet valid, of another issuer or audience:
 * {@code 401} with {@code error="invalid_token"} and a reason that names the problem, never the
 * token. A valid token that does not cover the whole selection: {@code 403}. Allowed: until the
 * token's {@code exp} (plus the clock skew), when the stream ends and the client's reconnect is
 * authorized again; for as long as the stream lasts if the token has no {@code exp}. Nothing a
 * client sends makes {@link #authorize} throw.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe. Its configuration is fixed at {@link
 * Builder#build()}: a JWKS file is read once, there; {@link #toBuilder()} and a new build pick up a
 * rotated key set.
 */
public final class JwtAuthorizer implements Authorizer {
  /** The cookie read by default. */
  public static final String DEFAULT_COOKIE_NAME = "ssekit_token";

  /** The longest token read by default, in chars. */
  public static final int DEFAULT_MAX_TOKEN_CHARS = 8192;

  private final Builder config;
  private final TokenRules rules;

  private JwtAuthorizer(Builder builder) {
    this.config = builder.copy();
    VerificationKeys keys =
        VerificationKeys.of(config.hmacSecret, config.publicKeys, config.jwkSets);
    this.rules =
        new TokenRules(
            keys,
            keys.allowed(config.algorithms),
            new TokenLookup(config.cookieName, config.queryParameter, config.queryTokenAllowed),
            new TopicGrants(config.topicsClaim, config.mercureClaim, config.mercureTopicPrefix),
            Set.copyOf(config.issuers),
            Set.copyOf(config.audiences),
            config.requireExpiry,
            config.clockSkew,
            config.maxTokenChars,
            config.realm,
            config.clock);
  }

  /**
   * Returns a builder with no key (set one before {@link Builder#build()}), every algorithm of the
   * keys allowed, the cookie {@value #DEFAULT_COOKIE_NAME}, query tokens refused, the topics claim
   * {@code topics} and {@code mercure.subscribe} read, any issuer and audience, a 60 s clock skew,
   * tokens up to {@value #DEFAULT_MAX_TOKEN_CHARS} chars and the realm {@code ssekit}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this authorizer's configuration, to build a variant. */
  public Builder toBuilder() {
    return config.copy();
  }

  /**
   * Decides on {@code request} as the class comment describes.
   *
   * @throws NullPointerException if {@code request} is null
   */
  @Override
  public Authorization authorize(StreamRequest request) {
    Objects.requireNonNull(request, "request");
    return rules.decide(request);
  }

  /** Describes the configuration; secrets and keys are left out. */
  @Override
  public String toString() {
    return String.format(
        "JwtAuthorizer{algorithms=%s, cookie=%s, queryToken=%s, issuers=%s, audiences=%s}",
        rules.algorithms(),
        config.cookieName,
        config.queryTokenAllowed ? config.queryParameter : "refused",
        config.issuers,
        config.audiences);
  }

  /**
   * Configures a {@link JwtAuthorizer}; see {@link JwtAuthorizer#builder()} for the defaults.
   * Setters check their argument at once and throw {@link IllegalArgumentException} naming it.
   *
   * <p><b>Thread safety:</b> not thread-safe.
   */
  public static final class Builder {
    private byte[] hmacSecret;
    private List<PublicKey> publicKeys = new ArrayList<>();
    private List<JWKSet> jwkSets = new ArrayList<>();
    private Set<String> algorithms = new LinkedHashSet<>();
    private String cookieName = DEFAULT_COOKIE_NAME;
    private String queryParameter = "access_token"; // as RFC 6750 names it
    private boolean queryTokenAllowed;
    private String topicsClaim = "topics";
    private boolean mercureClaim = true;
    private String mercureTopicPrefix;
    private Set<String> issuers = new LinkedHashSet<>();
    private Set<String> audiences = new LinkedHashSet<>();
    private boolean requireExpiry;
    private Duration clockSkew = Duration.ofSeconds(60);
    private int maxTokenChars = DEFAULT_MAX_TOKEN_CHARS;
    private String realm = "ssekit";
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Sets the HMAC secret ({@code HS256}; {@code HS384} and {@code HS512} too for secrets of 48
     * and 64 bytes or more), copied.
     *
     * @throws NullPointerException if {@code secret} is null
     * @throws IllegalArgumentException if it is shorter than 32 bytes
     */
    public Builder hmacSecret(byte[] secret) {
      Objects.requireNonNull(secret, "hmacSecret");
      byte[] copy = secret.clone();
      VerificationKeys.of(copy, List.of(), List.of()); // checks it now, naming hmacSecret
      this.hmacSecret = copy;
      return this;
    }

    /**
     * Adds an RSA public key (at least 2048 bits; {@code RS*} and {@code PS*}) or an EC public key
     * on P-256, P-384 or P-521 ({@code ES256}, {@code ES384}, {@code ES512}).
     *
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if it is of another kind, weaker, or on another curve
     */
    public Builder publicKey(PublicKey key) {
      Objects.requireNonNull(key, "publicKey");
      VerificationKeys.of(null, List.of(key), List.of()); // checks it now, naming publicKey
      publicKeys.add(key);
      return this;
    }

    /**
     * Adds the keys of a JSON Web Key Set file, read now: RSA, EC and {@code oct} signing keys
     * (with the rules of {@link #publicKey} and {@link #hmacSecret}); a key's {@code kid} and
     * {@code alg}, if present, restrict it to tokens naming them; encryption keys and other kinds
     * are skipped.
     *
     * @throws NullPointerException if {@code file} is null
     * @throws IllegalArgumentException if the file cannot be read, is not a key set, holds a weak
     *     key, or no usable key
     */
    public Builder jwks(Path file) {
      Objects.requireNonNull(file, "jwks");
      JWKSet set = VerificationKeys.load(file);
      jwkSets.add(set);
      return this;
    }

    /**
     * Allows only these algorithms ({@code HS256}, {@code RS256}, {@code ES256}, ...), each one a
     * configured key verifies (checked at {@link #build()}); by default, every algorithm of the
     * keys. {@code none} is never allowed.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if none is given, or one is {@code none}
     */
    public Builder algorithms(String... names) {
      Objects.requireNonNull(names, "algorithms");
      if (names.length == 0) {
        throw new IllegalArgumentException("algorithms empty: name at least one, such as RS256");
      }
      Set<String> checked = new LinkedHashSet<>();
      for (String name : names) {
        Objects.requireNonNull(name, "algorithms");
        if (name.equalsIgnoreCase("none")) {
          throw new IllegalArgumentException("algorithms none is never allowed: " + name);
        }
        checked.add(name);
      }
      this.algorithms = checked;
      return this;
    }

    /**
     * Sets the cookie that carries the token (Mercure's is {@code mercureAuthorization}).
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if it is not a cookie name (RFC 6265 token)
     */
    public Builder cookieName(String name) {
      this.cookieName = Names.requireToken("cookieName", name);
      return this;
    }

    /**
     * Sets the query parameter that carries a token: read if {@linkplain #allowQueryToken allowed},
     * else a request carrying it is refused.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if it is not a token (RFC 7230 tchars)
     */
    public Builder queryParameter(String name) {
      this.queryParameter = Names.requireToken("queryParameter", name);
      return this;
    }

    /** Accepts ({@code true}) or refuses (the default) a token in the query string. */
    public Builder allowQueryToken(boolean allowed) {
      this.queryTokenAllowed = allowed;
      return this;
    }

    /**
     * Sets the claim listing ssekit selection entries the token may read.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if it is empty
     */
    public Builder topicsClaim(String name) {
      Objects.requireNonNull(name, "topicsClaim");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("topicsClaim empty: name a claim, such as topics");
      }
      this.topicsClaim = name;
      return this;
    }

    /** Reads ({@code true}, the default) or ignores Mercure's {@code mercure.subscribe} claim. */
    public Builder mercureClaim(boolean read) {
      this.mercureClaim = read;
      return this;
    }

    /**
     * Sets a prefix cut from the front of Mercure selectors, such as {@code https://example.com/},
     * so that {@code https://example.com/books/{id}} reads topics {@code books/*}.
     *
     * @throws NullPointerException if {@code prefix} is null
     * @throws IllegalArgumentException if it is empty
     */
    public Builder mercureTopicPrefix(String prefix) {
      Objects.requireNonNull(prefix, "mercureTopicPrefix");
      if (prefix.isEmpty()) {
        throw new IllegalArgumentException("mercureTopicPrefix empty: name a prefix or set none");
      }
      this.mercureTopicPrefix = prefix;
      return this;
    }

    /**
     * Accepts only tokens whose {@code iss} is one of these; by default any.
     *
     * @throws NullPointerException if an argument is null
     */
    public Builder issuer(String... accepted) {
      this.issuers = Names.copy("issuer", accepted);
      return this;
    }

    /**
     * Accepts only tokens whose {@code aud} names one of these; by default any.
     *
     * @throws NullPointerException if an argument is null
     */
    public Builder audience(String... accepted) {
      this.audiences = Names.copy("audience", accepted);
      return this;
    }

    /** Refuses ({@code true}) or accepts (the default, as Mercure does) tokens without exp. */
    public Builder requireExpiry(boolean required) {
      this.requireExpiry = required;
      return this;
    }

    /**
     * Sets how far {@code exp} and {@code nbf} may be off this server's clock.
     *
     * @throws NullPointerException if {@code skew} is null
     * @throws IllegalArgumentException if it is negative or over 10 minutes
     */
    public Builder clockSkew(Duration skew) {
      Objects.requireNonNull(skew, "clockSkew");
      if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("clockSkew must be 0-10 minutes: " + skew);
      }
      this.clockSkew = skew;
      return this;
    }

    /**
     * Sets the longest token read, in chars; longer ones are refused before parsing.
     *
     * @throws IllegalArgumentException if it is under 128 or over 1,048,576
     */
    public Builder maxTokenChars(int chars) {
      if (chars < 128 || chars > 1 << 20) {
        throw new IllegalArgumentException("maxTokenChars must be 128-1048576: " + chars);
      }
      this.maxTokenChars = chars;
      return this;
    }

    /**
     * Sets the realm of the {@code WWW-Authenticate: Bearer realm="..."} challenge.
     *
     * @throws NullPointerException if {@code realm} is null
     * @throws IllegalArgumentException if it is empty or holds a quote, a backslash or a control or
     *     non-ASCII char
     */
    public Builder realm(String realm) {
      this.realm = Names.requireQuotable("realm", realm);
      return this;
    }

    /**
     * Sets the clock of the {@code exp} and {@code nbf} checks; the system clock by default.
     *
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Returns the authorizer.
     *
     * @throws IllegalArgumentException if no key is set, or {@link #algorithms} names one no key
     *     verifies
     */
    public JwtAuthorizer build() {
      return new JwtAuthorizer(this);
    }

    private Builder copy() {
      Builder copy = new Builder();
      copy.hmacSecret = hmacSecret == null ? null : hmacSecret.clone();
      copy.publicKeys = new ArrayList<>(publicKeys);
      copy.jwkSets = new ArrayList<>(jwkSets);
      copy.algorithms = new LinkedHashSet<>(algorithms);
      copy.cookieName = cookieName;
      copy.queryParameter = queryParameter;
      copy.queryTokenAllowed = queryTokenAllowed;
      copy.topicsClaim = topicsClaim;
      copy.mercureClaim = mercureClaim;
      copy.mercureTopicPrefix = mercureTopicPrefix;
      copy.issuers = new LinkedHashSet<>(issuers);
      copy.audiences = new LinkedHashSet<>(audiences);
      copy.requireExpiry = requireExpiry;
      copy.clockSkew = clockSkew;
      copy.maxTokenChars = maxTokenChars;
      copy.realm = realm;
      copy.clock = clock;
      return copy;
    }
  }
}
