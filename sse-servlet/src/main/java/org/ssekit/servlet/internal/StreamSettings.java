package org.ssekit.servlet.internal;

import java.time.Duration;
import org.ssekit.Authorizer;
import org.ssekit.Cors;
import org.ssekit.RefusalAnswer;

/**
 * The settings of a {@link org.ssekit.servlet.ServletStreams}, handed to {@link
 * ServletStreamOpener} in one piece.
 *
 * @param bufferSize the response buffer size in bytes
 * @param refusalAnswer how a passing refusal is answered
 * @param retryAfter the hub's retry-after, for refusals
 * @param authorizer decides on every stream request, {@link Authorizer#ALLOW_ALL} for none
 * @param cors the allowed origins, or null for no CORS headers
 */
public record StreamSettings(
    int bufferSize,
    RefusalAnswer refusalAnswer,
    Duration retryAfter,
    Authorizer authorizer,
    Cors cors) {}
