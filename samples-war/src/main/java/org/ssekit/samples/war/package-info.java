/**
 * A web application packaged as a WAR that uses the servlet adapter as a WAR user would: the
 * library's {@link org.ssekit.servlet.SseHubListener} registered in {@code web.xml} gives the
 * application one hub, and two annotated servlets stream ({@code GET /events?topic=T}) and publish
 * ({@code POST /publish?topic=T}) events of its topics.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit.samples.war;
