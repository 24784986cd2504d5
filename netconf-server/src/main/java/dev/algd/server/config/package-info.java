/**
 * From YANG data to the engine: the translator that turns one committed tree into one EngineConfig, and the
 * configuration file algd boots from and rewrites on every commit. Uses the model names and alg-engine's
 * config records; no NETCONF protocol code lives here.
 */
package dev.algd.server.config;
