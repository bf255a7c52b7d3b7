/**
 * The starter's scenarios, run by boot3 and boot4 on Tomcat and Jetty: a small application with
 * stream controllers, and the tests against it over real HTTP.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit.spring.scenarios;
