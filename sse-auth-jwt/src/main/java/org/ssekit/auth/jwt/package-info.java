/**
 * Authorization of SSE streams by signed JSON Web Tokens: {@link
 * org.ssekit.auth.jwt.JwtAuthorizer}. Non-null is the default for every parameter and return value.
 */
package org.ssekit.auth.jwt;
