/**
 * Not API; may change without notice. The servlet transport behind {@link org.ssekit.servlet}.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit.servlet.internal;
