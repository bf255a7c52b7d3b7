/**
 * The interop matrix: every ssekit server path (sse-servlet on Jetty and Tomcat, sse-jaxrs on
 * Jersey) against independent SSE clients (Chromium, Jersey, okhttp-eventsource, undici, the npm
 * eventsource package) and the core parser, scenario by scenario, with the expectations written
 * from the WHATWG rules. Tests only; the run writes {@code target/matrix.md}.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit.interop;
