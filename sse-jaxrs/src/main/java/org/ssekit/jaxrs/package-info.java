/**
 * Event streams for JAX-RS resources (tested on Jersey 3.1 and 4.0): register {@link
 * org.ssekit.jaxrs.SseHubFeature} in the application, then either annotate a resource method with
 * {@link org.ssekit.jaxrs.SseTopic}, or use the {@link jakarta.ws.rs.sse.SseBroadcaster} that
 * {@link org.ssekit.jaxrs.SseTopics#broadcaster(String)} returns in place of {@code
 * Sse.newBroadcaster()}.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit.jaxrs;
