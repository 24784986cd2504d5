/**
 * The data-path engine of algd: {@link dev.algd.engine.Engine} turns one IPv4 packet into a verdict, rewriting it in place.
 * Depends on its own sub-packages and the JDK only; packet-io calls process() and netconf-server reads SessionView and EngineCounters.
 * process() never allocates, locks, logs or throws on packet contents: every drop has a DropReason and a counter.
 */
package dev.algd.engine;
