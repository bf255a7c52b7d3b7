/**
 * The ssekit chat demo: one {@link org.ssekit.SseHub} served through the servlet adapter ({@code
 * /chat/...}) and the JAX-RS adapter ({@code /api/chat/...}) side by side, on embedded Jetty or
 * Tomcat, with a small browser page at {@code /}. Start it with {@link
 * org.ssekit.samples.ChatDemo}.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit.samples;
