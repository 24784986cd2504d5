/**
 * The engine's configuration: one immutable {@link dev.algd.engine.config.EngineConfig} snapshot per commit and
 * the {@link dev.algd.engine.config.EngineConfigValidator} that holds every rule the YANG datastore cannot check.
 * Depends on nothing outside the JDK; the NETCONF layer, the startup loader and the tests share it.
 */
package dev.algd.engine.config;
