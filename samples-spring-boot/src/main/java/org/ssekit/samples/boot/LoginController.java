package org.ssekit.samples.boot;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.session.RegisterSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.ssekit.samples.ChatInput;
import org.ssekit.samples.ChatRequestException;
import org.ssekit.samples.ChatSessions;
import org.ssekit.samples.PlainText;

/**
 * {@code POST /login} (and {@code /api/login}): the body is the user's name as {@code text/plain},
 * checked by the samples' rule ({@link ChatSessions#name}: 1-32 chars of {@code [A-Za-z0-9_-]},
 * white space around it ignored; else {@code 400} with the reason). There is no password: whoever
 * logs in with a name is that user, as in the samples demo. The login is Spring Security's: an
 * authenticated {@link SecurityContext} saved in the HTTP session, under a new session id (no
 * session fixation), registered by user so that a logout can end all of the user's sessions; {@code
 * 204}.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
@RestController
class LoginController {
  private final SecurityContextRepository contexts;
  private final SessionAuthenticationStrategy sessionStrategy;

  LoginController(SecurityContextRepository contexts, SessionRegistry sessions) {
    this.contexts = Objects.requireNonNull(contexts, "contexts");
    this.sessionStrategy =
        new CompositeSessionAuthenticationStrategy(
            List.of(
                new ChangeSessionIdAuthenticationStrategy(),
                new RegisterSessionAuthenticationStrategy(sessions)));
  }

  @PostMapping({"/login", "/api/login"})
  ResponseEntity<Void> login(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String name =
        ChatSessions.name(
            ChatInput.message(
                    request.getContentType(),
                    request.getContentLengthLong(),
                    request.getInputStream())
                .strip(),
            "name");
    Authentication user =
        UsernamePasswordAuthenticationToken.authenticated(
            name, null, AuthorityUtils.createAuthorityList("ROLE_USER"));
    sessionStrategy.onAuthentication(user, request, response);
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(user);
    SecurityContextHolder.setContext(context);
    contexts.saveContext(context, request, response);
    return ResponseEntity.status(HttpStatus.NO_CONTENT).header("Cache-Control", "no-store").build();
  }

  /** A bad name or body: the samples' status and plain-text reason. */
  @ExceptionHandler(ChatRequestException.class)
  void refused(
      ChatRequestException refused, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    PlainText.answer(request, response, refused);
  }
}
