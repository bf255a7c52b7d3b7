/**
 * Not API; may change without notice. Implementations of the core's roles.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit.internal;
