package org.ssekit.jpms.fields;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

/**
 * A resource with an injected field, in a package of its own: the implementation sets the field by
 * deep reflection, so this package is opened rather than exported.
 */
@Path("fields")
public class FieldInjectedResource {
  @Context private UriInfo uriInfo;

  /** Created by the JAX-RS implementation, once per request. */
  public FieldInjectedResource() {}

  /** Returns the request's path, read through the injected field. */
  @GET
  @Produces(MediaType.TEXT_PLAIN)
  public String path() {
    return uriInfo.getPath();
  }
}
