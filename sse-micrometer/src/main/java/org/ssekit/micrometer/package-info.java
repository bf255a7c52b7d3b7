/**
 * Micrometer meters for an ssekit hub: {@link org.ssekit.micrometer.SseHubMetrics}. Non-null is the
 * default for every parameter and return value.
 */
package org.ssekit.micrometer;
