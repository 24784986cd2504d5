/**
 * The algd daemon: command line, start-up and shutdown, and the commit path from NETCONF to the engine.
 * The only module that combines OpenDaylight, the engine and packet I/O; protocol code stays in alg-engine.
 */
package dev.algd.server;
