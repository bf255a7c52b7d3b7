/**
 * The ssekit core: the event-stream protocol ({@link org.ssekit.ServerSentEvent}), the hub of
 * topics ({@link org.ssekit.SseHub}), its replay log SPI ({@link org.ssekit.EventLog}) and the
 * transport SPI ({@link org.ssekit.SseTransport}) that the servlet and JAX-RS adapters implement.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit;
