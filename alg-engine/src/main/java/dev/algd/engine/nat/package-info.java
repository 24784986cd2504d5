/**
 * Source NAT: the compiled rule set that decides, when a session is created, whether and how to translate it, and the port allocator.
 * Depends on dev.algd.engine.config and dev.algd.engine.session (to see which translated keys are taken).
 * Rules are compiled once per config apply into primitive arrays; matching and allocation never allocate.
 */
package dev.algd.engine.nat;
