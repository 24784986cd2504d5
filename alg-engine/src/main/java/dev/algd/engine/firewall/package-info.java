/**
 * The minimal stateful firewall: named rule sets attached to interfaces, compiled per config apply and evaluated
 * for the first packet of a session (NEW) and for RELATED packets when a rule names that state.
 * Depends only on dev.algd.engine.config; it sees primitive flow fields, never packets or sessions.
 * Evaluation never allocates and never changes the policy; established traffic never reaches it.
 */
package dev.algd.engine.firewall;
