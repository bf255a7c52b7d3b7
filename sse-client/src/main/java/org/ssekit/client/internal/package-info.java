/**
 * Not API; may change without notice. The connection, reconnection and delivery machinery of the
 * client.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit.client.internal;
