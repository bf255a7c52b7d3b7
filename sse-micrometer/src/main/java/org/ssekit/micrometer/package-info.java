/**
 * Micrometer meters for an ssekit hub: {@link org.ssekit.micrometer.SseHubMetrics}, and for its
 * sse-redis log: {@link org.ssekit.micrometer.RedisLogMetrics}. Non-null is the default for every
 * parameter and return value.
 */
package org.ssekit.micrometer;
