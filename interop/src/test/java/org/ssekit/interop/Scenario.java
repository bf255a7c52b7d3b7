package org.ssekit.interop;

import java.util.Set;

/**
 * One conformance scenario: what the server does, step by step, and what a client that follows the
 * WHATWG rules ("Server-sent events" in the HTML standard) must observe, written down as the script
 * runs.
 *
 * @param group the matrix section
 * @param id a short stable name, used in test names and the matrix
 * @param title what the scenario checks, for the matrix
 * @param types the event types a client must listen to ({@code message} is always listened to)
 * @param needsOffers true if the server sends events outside the topic's log (see {@link
 *     OpeningOffers})
 * @param script drives the server and declares the expectations
 */
record Scenario(
    Group group, String id, String title, Set<String> types, boolean needsOffers, Script script) {
  /** The sections of the matrix, in order. */
  enum Group {
    /** How data is framed into lines and events. */
    FRAMING,
    /** The {@code event}, {@code id} and {@code retry} fields, and comments. */
    FIELDS,
    /** Connections: reconnecting, ending for good, failing, staying open. */
    LIFECYCLE,
    /** One stream of several topics and selectors ({@code Selection}). */
    SELECTIONS,
    /**
     * A stream protected by an authorizer: a token by header or cookie, refusals, expiry; every
     * client of the matrix can send a token (see {@link ClientKind#credentials()}).
     */
    AUTHORIZATION
  }

  /** The steps of a scenario, run on the test thread against one client and one server path. */
  @FunctionalInterface
  interface Script {
    void run(ScenarioRun run) throws Exception;
  }
}
