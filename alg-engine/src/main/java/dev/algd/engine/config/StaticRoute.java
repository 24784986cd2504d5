package dev.algd.engine.config;

/** A static route: packets to {@code prefix} go to the neighbour {@code nextHop} (host-order IPv4). */
public record StaticRoute(Ipv4Prefix prefix, int nextHop) {
}
