/**
 * Not API; may change without notice. The Redis Streams implementation of the core's event log.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit.redis.internal;
