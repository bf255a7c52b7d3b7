/**
 * The ssekit benchmarks: a load harness that runs ssekit beside the stock SSE options and the bare
 * container, each in its own server JVM driven by a separate non-blocking load-client JVM, plus JMH
 * micro-benchmarks. Not published; start it with {@code java -jar
 * benchmarks/target/ssekit-bench.jar}.
 *
 * <p>Everything in this package is non-null unless documented otherwise.
 */
package org.ssekit.benchmarks;
