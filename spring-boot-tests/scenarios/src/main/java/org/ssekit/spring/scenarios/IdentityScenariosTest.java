package org.ssekit.spring.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.ssekit.Authorizer;
import org.ssekit.Cors;
import org.ssekit.PrincipalAuthorizer;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.servlet.ServletStreams;
import org.ssekit.testkit.BasicLoginFilter;
import org.ssekit.testkit.RawSseClient;

/**
 * An application's {@link Authorizer} and {@link Cors} beans decide on the starter's streams, with
 * the identity the container's login put on the request (as Spring Security does): no glue.
 */
@SpringBootTest(
    classes = {ScenarioApplication.class, IdentityScenariosTest.Identity.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IdentityScenariosTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String APP_ORIGIN = "https://app.example";

  /** A login filter, and the rules: news for anyone, each inbox for its owner and admins. */
  @Configuration(proxyBeanMethods = false)
  static class Identity {
    @Bean
    FilterRegistrationBean<BasicLoginFilter> login() {
      return new FilterRegistrationBean<>(new BasicLoginFilter());
    }

    @Bean
    Authorizer authorizer() {
      return PrincipalAuthorizer.builder()
          .allowAnyone("news", "rooms/*")
          .allowAuthenticated("users/{principal}/inbox")
          .allowRole("admin", "users/*/inbox")
          .build();
    }

    @Bean
    Cors cors() {
      return Cors.builder().allowOrigin(APP_ORIGIN).allowCredentials(true).build();
    }
  }

  @Autowired ApplicationContext context;
  @Autowired SseHub hub;
  @Autowired ServletStreams streams;

  private RawSseClient get(String target, String user, String origin) throws Exception {
    Map<String, String> headers = new HashMap<>();
    if (user != null) {
      headers.put("Authorization", BasicLoginFilter.basic(user));
    }
    if (origin != null) {
      headers.put("Origin", origin);
    }
    RawSseClient client = RawSseClient.get(Scenarios.port(context), target, headers);
    assertThat(client.awaitHeaders(WAIT)).isTrue();
    return client;
  }

  @Test
  void theApplicationsBeansConfigureTheStreams() {
    assertThat(streams.authorizer()).isSameAs(context.getBean(Authorizer.class));
    assertThat(streams.cors()).containsSame(context.getBean(Cors.class));
  }

  @Test
  void anInboxIsReadByItsOwnerOnly() throws Exception {
    try (RawSseClient anonymous = get("/users/alice/inbox", null, null);
        RawSseClient bob = get("/users/alice/inbox", "bob", null);
        RawSseClient alice = get("/users/alice/inbox", "alice", null);
        RawSseClient root = get("/users/alice/inbox", "root", null)) {
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.header("www-authenticate")).isNotBlank();
      assertThat(anonymous.awaitEnd(WAIT)).isTrue();
      assertThat(bob.status()).isEqualTo(403);
      assertThat(bob.awaitEnd(WAIT)).isTrue();
      assertThat(bob.body()).contains("users/alice/inbox");
      assertThat(alice.status()).isEqualTo(200);
      assertThat(root.status()).isEqualTo(200);

      Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount("users/alice/inbox") == 2);
      hub.publish("users/alice/inbox", ServerSentEvent.of("for alice"));
      ReceivedEvent event = alice.poll(WAIT);
      assertThat(event).isNotNull();
      assertThat(event.data()).isEqualTo("for alice");
      assertThat(root.poll(WAIT).data()).isEqualTo("for alice");
    }
  }

  @Test
  void logoutEndsTheUsersStreams() throws Exception {
    try (RawSseClient carol = get("/users/carol/inbox", "carol", null);
        RawSseClient room = get("/rooms/logout", "carol", null);
        RawSseClient dave = get("/users/dave/inbox", "dave", null)) {
      assertThat(carol.status()).isEqualTo(200);
      assertThat(room.status()).isEqualTo(200);
      Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount("rooms/logout") == 1);
      Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount("users/carol/inbox") == 1);

      assertThat(hub.closeStreamsOf("carol")).isEqualTo(2);

      assertThat(carol.awaitEnd(WAIT)).isTrue();
      assertThat(room.awaitEnd(WAIT)).isTrue();
      assertThat(carol.pollRetry(WAIT)).as("a jittered retry: to come back").isNotNull();
      assertThat(dave.awaitEnd(Duration.ofMillis(300))).as("dave's stream goes on").isFalse();
    }
  }

  @Test
  void allowedOriginsGetCorsHeadersWithCredentialsOthersNone() throws Exception {
    try (RawSseClient allowed = get("/news", null, APP_ORIGIN);
        RawSseClient other = get("/news", null, "https://evil.example");
        RawSseClient refused = get("/users/alice/inbox", null, APP_ORIGIN)) {
      assertThat(allowed.status()).isEqualTo(200);
      assertThat(allowed.header("access-control-allow-origin")).isEqualTo(APP_ORIGIN);
      assertThat(allowed.header("access-control-allow-credentials")).isEqualTo("true");
      assertThat(allowed.header("vary")).containsIgnoringCase("origin");
      assertThat(other.status()).isEqualTo(200);
      assertThat(other.header("access-control-allow-origin")).isNull();
      // A browser reads a refusal's status only with the CORS headers on it.
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.header("access-control-allow-origin")).isEqualTo(APP_ORIGIN);
    }
  }
}
