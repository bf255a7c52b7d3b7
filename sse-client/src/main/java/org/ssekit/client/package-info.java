/**
 * The ssekit client: {@link org.ssekit.client.EventSource}, built with {@link
 * org.ssekit.client.EventSource.Builder}, consumed with an {@link
 * org.ssekit.client.EventSourceListener}, a {@link java.util.concurrent.Flow.Publisher} or an
 * {@link org.ssekit.client.EventIterator}, and reconnecting by a {@link
 * org.ssekit.client.ReconnectPolicy}.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit.client;
