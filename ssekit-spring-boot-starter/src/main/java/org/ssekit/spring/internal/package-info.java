/**
 * Not API; may change without notice. The starter's hub settings, MVC return value handler,
 * lifecycle and health indicators behind {@link org.ssekit.spring}.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit.spring.internal;
