/**
 * The forwarding table: connected and static IPv4 routes with longest-prefix match, and algd's own addresses.
 * Depends only on dev.algd.engine.config; built once per config apply, read per packet by the engine.
 * Lookups never allocate and never change the table; nothing here knows about sessions or NAT.
 */
package dev.algd.engine.route;
