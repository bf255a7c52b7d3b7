/**
 * ssekit on JSON Web Tokens: {@link org.ssekit.auth.jwt.JwtAuthorizer}, an {@link
 * org.ssekit.Authorizer} that reads signed JWTs from a cookie or an {@code Authorization: Bearer}
 * header.
 */
module org.ssekit.auth.jwt {
  // Authorizer, StreamRequest and Authorization appear in JwtAuthorizer's signatures.
  requires transitive org.ssekit;
  // Not transitive: no nimbus type appears in this module's API.
  requires com.nimbusds.jose.jwt;

  exports org.ssekit.auth.jwt;
}
