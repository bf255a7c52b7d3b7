package org.ssekit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which containers the browser tests run on, by {@link BrowserServers#PROPERTY}. */
class BrowserServersTest {
  private final String before = System.getProperty(BrowserServers.PROPERTY);

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(BrowserServers.PROPERTY);
    } else {
      System.setProperty(BrowserServers.PROPERTY, before);
    }
  }

  @Test
  void oneRunsTheNamedContainerOtherTheRestAllBoth() {
    System.clearProperty(BrowserServers.PROPERTY);
    assertThat(BrowserServers.jetty()).containsExactly(ServerKind.JETTY);
    System.setProperty(BrowserServers.PROPERTY, "one");
    assertThat(BrowserServers.tomcat()).containsExactly(ServerKind.TOMCAT);
    System.setProperty(BrowserServers.PROPERTY, "other");
    assertThat(BrowserServers.jetty()).containsExactly(ServerKind.TOMCAT);
    assertThat(BrowserServers.tomcat()).containsExactly(ServerKind.JETTY);
    System.setProperty(BrowserServers.PROPERTY, "all");
    assertThat(BrowserServers.jetty()).containsExactly(ServerKind.JETTY, ServerKind.TOMCAT);
  }

  @Test
  void anyOtherValueIsRefusedWithThePropertysName() {
    System.setProperty(BrowserServers.PROPERTY, "both");
    assertThatThrownBy(BrowserServers::jetty)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ssekit.samples.browserServers must be 'one', 'other' or 'all', was 'both'");
  }
}
