package org.ssekit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ssekit.internal.TopicCoverage;
import org.ssekit.internal.TopicNames;

/**
 * An {@link Authorizer} on the container's identity: the principal and roles the container
 * authenticated ({@code HttpServletRequest.getUserPrincipal()} and {@code isUserInRole}, or the
 * JAX-RS {@code SecurityContext}), so that Spring Security, Jakarta Security, Tomcat realms and
 * Jetty login services decide who the client is, and topic templates decide what it may read.
 *
 * <pre>{@code
 * Authorizer authorizer = PrincipalAuthorizer.builder()
 *     .allowAnyone("news/**")
 *     .allowAuthenticated("users/{principal}/**", "rooms/*")
 *     .allowRole("admin", "**")
 *     .build();
 * }</pre>
 *
 * <p><b>Templates</b> are selection entries ({@code rooms/lobby}, {@code rooms/*}, {@code
 * users/42/**}) in which a whole segment may be {@code {principal}}, replaced by the principal's
 * name. A request is allowed only if <em>every</em> entry of its selection is covered by a template
 * it may use (see below); the rule for a selector is that every topic it can match is one the
 * template matches, so {@code users/alice/**} and {@code users/alice/inbox} are covered by {@code
 * users/{principal}/**} for alice, but {@code users/*}{@code /inbox} and {@code users/**} are not.
 * A name that is not one clean segment (empty, or holding {@code /}, CR or LF, or being {@code *}
 * or {@code **}) is never substituted: templates with {@code {principal}} then cover nothing for
 * that principal.
 *
 * <p><b>Decisions:</b> covered by the {@linkplain Builder#allowAnyone anyone} templates, or by the
 * {@linkplain Builder#allowAuthenticated authenticated} and {@linkplain Builder#allowRole role}
 * templates of an authenticated principal: allowed, for as long as the stream lasts (the container
 * session's end is not seen by the stream). Not covered and not authenticated: {@code 401} with the
 * {@linkplain Builder#challenge challenge}. Authenticated but not covered: {@code 403}. Reasons
 * name the entry's index in the selection, never a topic or the principal.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class PrincipalAuthorizer implements Authorizer {
  /** The placeholder for the principal's name, as a whole segment of a template. */
  public static final String PRINCIPAL_PLACEHOLDER = "{principal}";

  private final List<String> anyone;
  private final List<String> authenticated;
  private final Map<String, List<String>> roles;
  private final String challenge;

  private PrincipalAuthorizer(Builder builder) {
    this.anyone = List.copyOf(builder.anyone);
    this.authenticated = List.copyOf(builder.authenticated);
    Map<String, List<String>> copy = new LinkedHashMap<>();
    builder.roles.forEach((role, templates) -> copy.put(role, List.copyOf(templates)));
    this.roles = Collections.unmodifiableMap(copy);
    this.challenge = builder.challenge;
    Authorization.unauthenticated(challenge, "checked"); // the challenge's rules, at build
  }

  /** Returns a builder with no template (which allows nothing) and the default challenge. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Authorization authorize(StreamRequest request) {
    Objects.requireNonNull(request, "request");
    String name = request.principalName();
    boolean signedIn = request.principal().isPresent();
    List<String[]> allowed = new ArrayList<>();
    addTemplates(allowed, anyone, null);
    if (signedIn) {
      String segment = isCleanSegment(name) ? name : null;
      addTemplates(allowed, authenticated, segment);
      for (Map.Entry<String, List<String>> role : roles.entrySet()) {
        if (request.isUserInRole(role.getKey())) {
          addTemplates(allowed, role.getValue(), segment);
        }
      }
    }
    String uncovered = firstUncovered(request.selection(), allowed);
    if (uncovered == null) {
      return Authorization.allow();
    }
    if (!signedIn) {
      return Authorization.unauthenticated(challenge, "sign in to read " + uncovered);
    }
    return Authorization.forbidden("the signed-in user may not read " + uncovered);
  }

  @Override
  public String toString() {
    return "PrincipalAuthorizer{anyone="
        + anyone
        + ", authenticated="
        + authenticated
        + ", roles="
        + roles
        + "}";
  }

  /** The first entry (topics, then selectors) no template covers, or null. */
  private static String firstUncovered(Selection selection, List<String[]> allowed) {
    for (String topic : selection.topics()) {
      if (!isCovered(allowed, topic, false)) {
        return topic;
      }
    }
    for (String selector : selection.selectors()) {
      if (!isCovered(allowed, selector, true)) {
        return selector;
      }
    }
    return null;
  }

  private static boolean isCovered(List<String[]> allowed, String entry, boolean selector) {
    for (String[] template : allowed) {
      if (TopicCoverage.covers(template, entry, selector)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds the segments of {@code templates} with {@code {principal}} replaced by {@code name};
   * templates with the placeholder are left out if {@code name} is null.
   */
  private static void addTemplates(List<String[]> allowed, List<String> templates, String name) {
    for (String template : templates) {
      String[] segments = TopicNames.segments(template);
      boolean usable = true;
      for (int i = 0; i < segments.length; i++) {
        if (segments[i].equals(PRINCIPAL_PLACEHOLDER)) {
          usable = name != null;
          segments[i] = name;
        }
      }
      if (usable) {
        allowed.add(segments);
      }
    }
  }

  /** True if {@code name} is one segment of a selection entry, and no wildcard. */
  static boolean isCleanSegment(String name) {
    if (name == null || name.indexOf('/') >= 0) {
      return false;
    }
    try {
      return !TopicNames.requireSelectionEntry("principal", name);
    } catch (IllegalArgumentException notClean) {
      return false;
    }
  }

  /**
   * Configures a {@link PrincipalAuthorizer}. Each call adds templates; see the class comment for
   * their rules.
   *
   * <p><b>Thread safety:</b> not thread-safe.
   */
  public static final class Builder {
    private final List<String> anyone = new ArrayList<>();
    private final List<String> authenticated = new ArrayList<>();
    private final Map<String, List<String>> roles = new LinkedHashMap<>();
    private String challenge = Authorization.DEFAULT_CHALLENGE;

    private Builder() {}

    /**
     * Lets every client, authenticated or not, read what {@code templates} cover.
     *
     * @throws NullPointerException if a template is null
     * @throws IllegalArgumentException if a template is not a valid selection entry, or names
     *     {@code {principal}} (there is no principal to substitute)
     */
    public Builder allowAnyone(String... templates) {
      for (String template : check("allowAnyone", templates)) {
        if (template.contains(PRINCIPAL_PLACEHOLDER)) {
          throw new IllegalArgumentException(
              "allowAnyone template names {principal}, which an anonymous client has not: use"
                  + " allowAuthenticated");
        }
        anyone.add(template);
      }
      return this;
    }

    /**
     * Lets every authenticated principal read what {@code templates} cover, {@code {principal}}
     * replaced by its name.
     *
     * @throws NullPointerException if a template is null
     * @throws IllegalArgumentException if a template is not a valid selection entry once {@code
     *     {principal}} is replaced, or holds {@code {} or {@code }} elsewhere
     */
    public Builder allowAuthenticated(String... templates) {
      authenticated.addAll(check("allowAuthenticated", templates));
      return this;
    }

    /**
     * Lets principals in {@code role} read what {@code templates} cover, {@code {principal}}
     * replaced by the name.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as {@link #allowAuthenticated}
     */
    public Builder allowRole(String role, String... templates) {
      Objects.requireNonNull(role, "role");
      roles.computeIfAbsent(role, r -> new ArrayList<>()).addAll(check("allowRole", templates));
      return this;
    }

    /**
     * Sets the {@code WWW-Authenticate} value of a {@code 401}, such as {@code Basic realm="news"};
     * by default {@link Authorization#DEFAULT_CHALLENGE}.
     *
     * @throws NullPointerException if {@code challenge} is null
     * @throws IllegalArgumentException if it is empty or holds CR, LF or NUL
     */
    public Builder challenge(String challenge) {
      Authorization.unauthenticated(challenge, "checked"); // throws for a bad challenge
      this.challenge = challenge;
      return this;
    }

    /** Returns the authorizer. */
    public PrincipalAuthorizer build() {
      return new PrincipalAuthorizer(this);
    }

    private static List<String> check(String method, String... templates) {
      Objects.requireNonNull(templates, "templates");
      List<String> checked = new ArrayList<>();
      for (int i = 0; i < templates.length; i++) {
        String field = method + " template " + i;
        String template = Objects.requireNonNull(templates[i], field);
        String substituted = template.replace(PRINCIPAL_PLACEHOLDER, "principal");
        if (substituted.indexOf('{') >= 0 || substituted.indexOf('}') >= 0) {
          throw new IllegalArgumentException(
              field + " has { or } outside a {principal} placeholder: " + template);
        }
        TopicNames.requireSelectionEntry(field, substituted);
        for (String segment : TopicNames.segments(template)) {
          if (segment.contains(PRINCIPAL_PLACEHOLDER) && !segment.equals(PRINCIPAL_PLACEHOLDER)) {
            throw new IllegalArgumentException(
                field + " has {principal} inside a segment: it must be a whole segment");
          }
        }
        checked.add(template);
      }
      return checked;
    }
  }
}
