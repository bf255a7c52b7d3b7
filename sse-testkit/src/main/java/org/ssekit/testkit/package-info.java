/**
 * Test support shared by the ssekit modules' tests; not published, used in test scope only.
 *
 * <ul>
 *   <li>SSE clients that parse with the core parser: {@link org.ssekit.testkit.RawSseClient} (a raw
 *       socket that sees every byte) and {@link org.ssekit.testkit.HttpSseClient} (the JDK HTTP
 *       client, HTTP/2 capable).
 *   <li>Embedded containers on ephemeral ports that deploy whatever servlets, filters and listeners
 *       a test hands them: {@link org.ssekit.testkit.TestContainer} with Jetty 12.1 ee11 and ee10
 *       and Tomcat; {@link org.ssekit.testkit.WebContainer} deploys WAR files.
 *   <li>{@link org.ssekit.testkit.RedisServer}, a real {@code redis-server} per test class, and
 *       {@link org.ssekit.testkit.ThreadChecks}.
 *   <li>{@link org.ssekit.testkit.HeadlessChromium}: Debian's Chromium and chromedriver for the
 *       real-browser tests (Selenium optional: declared by the modules that use it).
 * </ul>
 *
 * <p>The kit knows no ssekit adapter (the adapters' tests depend on it), and every container is an
 * optional dependency: a user declares the containers its tests run on. Non-null by default.
 */
package org.ssekit.testkit;
