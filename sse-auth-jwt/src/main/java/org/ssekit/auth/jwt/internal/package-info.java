/**
 * Not API; may change without notice. Token lookup, signature keys, claim checks and topic grants
 * of {@link org.ssekit.auth.jwt.JwtAuthorizer}.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit.auth.jwt.internal;
