/**
 * Spring Boot 3.5 and 4.0 support for ssekit: {@link org.ssekit.spring.SsekitAutoConfiguration}
 * gives the application an {@link org.ssekit.SseHub} built from {@link
 * org.ssekit.spring.SsekitProperties}, and Spring MVC handler methods return an {@link
 * org.ssekit.spring.SseStream}.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit.spring;
