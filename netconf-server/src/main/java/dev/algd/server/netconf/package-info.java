/**
 * algd's NETCONF server: OpenDaylight's protocol and SSH transport wired by hand on an in-memory mdsal
 * datastore, with algd's own commit and validate (engine veto, RFC 6241 rpc-errors) and live operational state.
 * The only package that talks NETCONF; it reaches the engine through ConfigCommitter and DataPlaneGroup.query.
 */
package dev.algd.server.netconf;
