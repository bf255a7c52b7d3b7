/**
 * Event streams for Jakarta Servlet 6.0+ containers (Jetty 12 ee10/ee11, Tomcat 10.1/11): {@link
 * org.ssekit.servlet.SseServlet} to subclass, {@link org.ssekit.servlet.ServletStreams} to turn any
 * request into a stream, and {@link org.ssekit.servlet.SseHubListener} to give a web application
 * one hub.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit.servlet;
