package dev.algd.engine.route;

import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.StaticRoute;
import java.util.ArrayList;
import java.util.List;

/**
 * The forwarding information base of one config: a connected route per interface address prefix, plus the
 * static routes whose next hop lies on a connected prefix (resolved once here, not per packet). Longest prefix
 * wins; for equal prefixes a connected route beats a static one and the first configured wins among equals.
 * <p>
 * Lookup walks the prefix lengths present, longest first, probing one small open-addressing table per length,
 * so its cost is bounded by the number of distinct lengths (at most 33). A result packs the egress interface
 * index (high 32 bits) and the next hop (low 32 bits) into a {@code long}; {@link #NO_ROUTE} is -1.
 */
public final class Fib {
    public static final long NO_ROUTE = -1L;

    /** Prefix lengths that have routes, longest first. */
    private final int[] lengths;
    /** Per entry of {@link #lengths}: an open-addressing table of networks (keys) and route indexes + 1 (values). */
    private final int[][] networks;
    private final int[][] routeIndexes;
    private final int[] routeEgress;
    private final int[] routeGateway;
    private final boolean[] routeOnLink;
    private final int[] localAddresses;
    private final int[] localInterfaces;
    private final int[] firstAddresses;

    private Fib(List<Route> routes, List<int[]> locals, int[] firstAddresses) {
        this.firstAddresses = firstAddresses;
        routeEgress = new int[routes.size()];
        routeGateway = new int[routes.size()];
        routeOnLink = new boolean[routes.size()];
        int[] countByLength = new int[33];
        for (int r = 0; r < routes.size(); r++) {
            Route route = routes.get(r);
            routeEgress[r] = route.egress;
            routeGateway[r] = route.gateway;
            routeOnLink[r] = route.onLink;
            countByLength[route.length]++;
        }
        int distinct = 0;
        for (int len = 32; len >= 0; len--) {
            if (countByLength[len] > 0) {
                distinct++;
            }
        }
        lengths = new int[distinct];
        networks = new int[distinct][];
        routeIndexes = new int[distinct][];
        int n = 0;
        for (int len = 32; len >= 0; len--) {
            if (countByLength[len] == 0) {
                continue;
            }
            int size = tableSize(countByLength[len]);
            lengths[n] = len;
            networks[n] = new int[size];
            routeIndexes[n] = new int[size];
            for (int r = 0; r < routes.size(); r++) {
                Route route = routes.get(r);
                if (route.length == len) {
                    insertFirstWins(networks[n], routeIndexes[n], route.network, r + 1);
                }
            }
            n++;
        }
        int localSize = tableSize(locals.size());
        localAddresses = new int[localSize];
        localInterfaces = new int[localSize];
        for (int[] local : locals) {
            insertFirstWins(localAddresses, localInterfaces, local[0], local[1] + 1);
        }
    }

    /** Builds the table for {@code config}; static routes whose next hop is on no connected prefix are left out. */
    public static Fib build(EngineConfig config) {
        List<Route> connected = new ArrayList<>();
        List<int[]> locals = new ArrayList<>();
        List<InterfaceConfig> interfaces = config.interfaces();
        int[] firstAddresses = new int[interfaces.size()];
        boolean[] hasAddress = new boolean[interfaces.size()];
        for (int i = 0; i < interfaces.size(); i++) {
            for (Ipv4Prefix prefix : interfaces.get(i).addresses()) {
                connected.add(new Route(prefix.network(), prefix.length(), i, 0, true));
                locals.add(new int[] {prefix.address(), i});
                if (!hasAddress[i]) {
                    hasAddress[i] = true;
                    firstAddresses[i] = prefix.address();
                }
            }
        }
        Fib connectedOnly = new Fib(connected, locals, firstAddresses);
        List<Route> all = new ArrayList<>(connected);
        for (StaticRoute route : config.staticRoutes()) {
            long viaConnected = connectedOnly.lookup(route.nextHop());
            if (viaConnected == NO_ROUTE || connectedOnly.isLocalAddress(route.nextHop())) {
                continue;
            }
            Ipv4Prefix prefix = route.prefix();
            all.add(new Route(prefix.network(), prefix.length(), egressInterface(viaConnected), route.nextHop(), false));
        }
        return new Fib(all, locals, firstAddresses);
    }

    /** The route to {@code destination}: egress and next hop packed (see {@link #egressInterface}), or {@link #NO_ROUTE}. */
    public long lookup(int destination) {
        for (int n = 0; n < lengths.length; n++) {
            int len = lengths[n];
            int network = len == 0 ? 0 : destination & -1 << (32 - len);
            int route = get(networks[n], routeIndexes[n], network) - 1;
            if (route >= 0) {
                int nextHop = routeOnLink[route] ? destination : routeGateway[route];
                return (long) routeEgress[route] << 32 | nextHop & 0xffff_ffffL;
            }
        }
        return NO_ROUTE;
    }

    public static int egressInterface(long route) {
        return (int) (route >>> 32);
    }

    public static int nextHop(long route) {
        return (int) route;
    }

    /** Whether {@code address} is one of the addresses configured on algd's interfaces. */
    public boolean isLocalAddress(int address) {
        return get(localAddresses, localInterfaces, address) != 0;
    }

    /** The first address configured on interface {@code index} (the masquerade address), or 0 if it has none. */
    public int firstAddress(int index) {
        return index >= 0 && index < firstAddresses.length ? firstAddresses[index] : 0;
    }

    private static int tableSize(int entries) {
        return Math.max(4, Integer.highestOneBit(Math.max(1, entries) * 2 - 1) << 1);
    }

    private static int slotFor(int key, int mask) {
        int h = key * 0x9E37_79B9;
        return (h ^ h >>> 16) & mask;
    }

    /** Inserts unless the key is present (the earlier route or address wins). Values are never 0. */
    private static void insertFirstWins(int[] keys, int[] values, int key, int value) {
        int mask = keys.length - 1;
        int i = slotFor(key, mask);
        while (values[i] != 0) {
            if (keys[i] == key) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
    }

    private static int get(int[] keys, int[] values, int key) {
        int mask = keys.length - 1;
        int i = slotFor(key, mask);
        while (values[i] != 0) {
            if (keys[i] == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return 0;
    }

    private record Route(int network, int length, int egress, int gateway, boolean onLink) {
    }
}
