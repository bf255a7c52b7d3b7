package org.ssekit.samples.boot;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.authentication.logout.LogoutSuccessHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.session.HttpSessionEventPublisher;
import org.springframework.security.web.session.SessionInformationExpiredEvent;
import org.ssekit.SseHub;
import org.ssekit.samples.ChatRequestException;
import org.ssekit.samples.PlainText;

/**
 * Logins through Spring Security: a login ({@link LoginController}) is an authenticated HTTP
 * session, whose cookie ({@value #COOKIE}, {@code HttpOnly}, {@code SameSite=Lax}; see {@code
 * application.properties}) carries it; Spring Security puts its principal on every request, where
 * the controllers and the starter's authorizer read it.
 *
 * <ul>
 *   <li>Every request is let through: what needs a login (the inbox, DMs) answers {@code 401}
 *       itself, with the samples' challenge and reason.
 *   <li>{@code POST /logout} (and {@code /api/logout}) ends the session and every other session of
 *       the user (through the {@link SessionRegistry}), then every stream of the user ({@link
 *       SseHub#closeStreamsOf}); {@code 204}. A request on another ended session gets {@code 401}
 *       once, and is anonymous afterwards.
 *   <li>CSRF: Spring Security's token is off, as the samples' page and API have no token; instead
 *       the cookie is {@code SameSite=Lax} (no other site's page sends it with a post) and {@link
 *       SameOriginWrites} refuses a post or delete whose {@code Origin} is not this server's (which
 *       covers other origins of the same site). See the README.
 * </ul>
 *
 * <p><b>Thread safety:</b> configuration, used by Spring at start only.
 */
@Configuration(proxyBeanMethods = false)
class ChatSecurity {
  /** The session cookie's name, as in the samples demo. */
  static final String COOKIE = "chat_session";

  private static final Set<String> LOGOUT_PATHS = Set.of("/logout", "/api/logout");

  @Bean
  SecurityFilterChain chatFilterChain(HttpSecurity http, SessionRegistry sessions, SseHub hub)
      throws Exception {
    return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
        .csrf(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .addFilterBefore(new SameOriginWrites(), LogoutFilter.class)
        .securityContext(context -> context.securityContextRepository(securityContextRepository()))
        .sessionManagement(
            session ->
                session
                    .maximumSessions(-1)
                    .sessionRegistry(sessions)
                    .expiredSessionStrategy(ChatSecurity::sessionEnded))
        .logout(
            logout ->
                logout
                    .logoutRequestMatcher(
                        request ->
                            "POST".equals(request.getMethod())
                                && LOGOUT_PATHS.contains(path(request)))
                    .deleteCookies(COOKIE)
                    .logoutSuccessHandler(endStreams(sessions, hub)))
        .build();
  }

  /** Where a login's authentication is kept between requests: the HTTP session. */
  @Bean
  SecurityContextRepository securityContextRepository() {
    return new HttpSessionSecurityContextRepository();
  }

  /** Every logged-in session by user, so that a logout ends all of them. */
  @Bean
  SessionRegistry sessionRegistry() {
    return new SessionRegistryImpl();
  }

  /** Tells the registry when sessions end or change their id (Boot registers it as a listener). */
  @Bean
  HttpSessionEventPublisher httpSessionEventPublisher() {
    return new HttpSessionEventPublisher();
  }

  /**
   * After the session was invalidated: ends the user's other sessions and then every stream of the
   * user (each gets a jittered {@code retry:}; the page reconnects anonymously), then {@code 204}.
   */
  private static LogoutSuccessHandler endStreams(SessionRegistry sessions, SseHub hub) {
    return (request, response, authentication) -> {
      if (authentication != null) {
        String name = authentication.getName();
        sessions.getAllSessions(name, false).forEach(SessionInformation::expireNow);
        hub.closeStreamsOf(name);
      }
      response.setHeader("Cache-Control", "no-store");
      response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    };
  }

  /**
   * A request on a session that a logout elsewhere ended: Spring Security has logged it out; it is
   * answered {@code 401} as a request without a login, and the browser's next one is anonymous.
   */
  private static void sessionEnded(SessionInformationExpiredEvent event) throws IOException {
    PlainText.answer(
        event.getRequest(),
        event.getResponse(),
        ChatRequestException.unauthenticated("session ended by a logout: log in again"));
  }

  static String path(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }
}
