package dev.algd.engine.route;

import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv6Prefix;
import dev.algd.engine.config.Ipv6Route;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The IPv6 forwarding information base of one config: a connected route per interface IPv6 prefix, plus the
 * static IPv6 routes whose next hop lies on a connected prefix. Longest prefix wins; for equal prefixes a connected
 * route beats a static one and the first configured wins among equals, as in {@link Fib}.
 * <p>
 * Lookup scans the routes longest prefix first. That is linear in the number of routes, which is fine because
 * the engine looks a route up when a session is created or the config changes, and caches it in the session, not
 * per packet. A result packs the egress interface (high 32 bits) and the index of the gateway (low 32 bits,
 * {@link #ON_LINK} when the destination itself is the neighbour) into a {@code long}; {@link #NO_ROUTE} is -1.
 */
public final class Fib6 {
    public static final long NO_ROUTE = -1L;
    /** {@link #gatewayIndex}: the destination is on the link, so it is its own next hop. */
    public static final int ON_LINK = -1;

    private final long[] networks;
    private final long[] masks;
    private final int[] egress;
    private final int[] gateways;
    private final long[] gatewayAddresses;
    /** Per own address: high, low; and its interface. */
    private final long[] localAddresses;
    private final int[] localInterfaces;
    private final long[] firstAddresses;

    private record Route(Ipv6Prefix prefix, int egress, int gateway, boolean isConnected, int order) {
    }

    private Fib6(List<Route> routes, List<long[]> gatewayList, List<long[]> locals, long[] firstAddresses) {
        int n = routes.size();
        networks = new long[n * 2];
        masks = new long[n * 2];
        egress = new int[n];
        gateways = new int[n];
        for (int r = 0; r < n; r++) {
            Route route = routes.get(r);
            masks[r * 2] = route.prefix.maskHigh();
            masks[r * 2 + 1] = route.prefix.maskLow();
            networks[r * 2] = route.prefix.address().high() & masks[r * 2];
            networks[r * 2 + 1] = route.prefix.address().low() & masks[r * 2 + 1];
            egress[r] = route.egress;
            gateways[r] = route.gateway;
        }
        gatewayAddresses = new long[gatewayList.size() * 2];
        for (int g = 0; g < gatewayList.size(); g++) {
            gatewayAddresses[g * 2] = gatewayList.get(g)[0];
            gatewayAddresses[g * 2 + 1] = gatewayList.get(g)[1];
        }
        localAddresses = new long[locals.size() * 2];
        localInterfaces = new int[locals.size()];
        for (int l = 0; l < locals.size(); l++) {
            localAddresses[l * 2] = locals.get(l)[0];
            localAddresses[l * 2 + 1] = locals.get(l)[1];
            localInterfaces[l] = (int) locals.get(l)[2];
        }
        this.firstAddresses = firstAddresses;
    }

    /** Builds the table for {@code config}; static routes whose next hop is on no connected prefix are left out. */
    public static Fib6 build(EngineConfig config) {
        List<Route> routes = new ArrayList<>();
        List<long[]> gateways = new ArrayList<>();
        List<long[]> locals = new ArrayList<>();
        long[] firstAddresses = new long[config.interfaces().size() * 2];
        List<Ipv6Prefix> connected = new ArrayList<>();
        List<Integer> connectedEgress = new ArrayList<>();
        for (int i = 0; i < config.interfaces().size(); i++) {
            InterfaceConfig itf = config.interfaces().get(i);
            for (Ipv6Prefix prefix : itf.ipv6Addresses()) {
                locals.add(new long[] {prefix.address().high(), prefix.address().low(), i});
                routes.add(new Route(prefix, i, ON_LINK, true, routes.size()));
                connected.add(prefix);
                connectedEgress.add(i);
            }
            if (!itf.ipv6Addresses().isEmpty()) {
                firstAddresses[i * 2] = itf.ipv6Addresses().getFirst().address().high();
                firstAddresses[i * 2 + 1] = itf.ipv6Addresses().getFirst().address().low();
            }
        }
        for (Ipv6Route route : config.ipv6StaticRoutes()) {
            for (int c = 0; c < connected.size(); c++) {
                if (connected.get(c).contains(route.nextHop())) {
                    gateways.add(new long[] {route.nextHop().high(), route.nextHop().low()});
                    routes.add(new Route(route.prefix(), connectedEgress.get(c), gateways.size() - 1, false,
                            routes.size()));
                    break;
                }
            }
        }
        routes.sort(Comparator.comparingInt((Route r) -> -r.prefix.length())
                .thenComparing(r -> !r.isConnected)
                .thenComparingInt(Route::order));
        return new Fib6(routes, gateways, locals, firstAddresses);
    }

    /** The route to {@code high:low}, or {@link #NO_ROUTE}. */
    public long lookup(long high, long low) {
        for (int r = 0; r < egress.length; r++) {
            if ((high & masks[r * 2]) == networks[r * 2] && (low & masks[r * 2 + 1]) == networks[r * 2 + 1]) {
                return (long) egress[r] << 32 | gateways[r] & 0xffff_ffffL;
            }
        }
        return NO_ROUTE;
    }

    public static int egressInterface(long route) {
        return (int) (route >>> 32);
    }

    /** The gateway index of a route, or {@link #ON_LINK}. */
    public static int gatewayIndex(long route) {
        return (int) route;
    }

    /** The high 64 bits of gateway {@code index}'s address. */
    public long gatewayHigh(int index) {
        return gatewayAddresses[index * 2];
    }

    public long gatewayLow(int index) {
        return gatewayAddresses[index * 2 + 1];
    }

    /** Whether {@code high:low} is one of the IPv6 addresses configured on algd's interfaces. */
    public boolean isLocalAddress(long high, long low) {
        for (int l = 0; l < localInterfaces.length; l++) {
            if (localAddresses[l * 2] == high && localAddresses[l * 2 + 1] == low) {
                return true;
            }
        }
        return false;
    }

    /** Whether interface {@code index} has an IPv6 address (the source of ICMPv6 errors algd sends on it). */
    public boolean hasAddress(int index) {
        return index >= 0 && index * 2 < firstAddresses.length
                && (firstAddresses[index * 2] != 0 || firstAddresses[index * 2 + 1] != 0);
    }

    /** The high 64 bits of the first IPv6 address configured on interface {@code index}. */
    public long firstAddressHigh(int index) {
        return firstAddresses[index * 2];
    }

    public long firstAddressLow(int index) {
        return firstAddresses[index * 2 + 1];
    }
}
