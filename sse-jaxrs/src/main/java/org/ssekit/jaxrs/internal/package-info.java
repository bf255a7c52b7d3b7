/**
 * Not API; may change without notice. The JAX-RS glue behind {@link org.ssekit.jaxrs}.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit.jaxrs.internal;
