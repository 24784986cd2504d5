package dev.algd.engine;

import dev.algd.engine.alg.Alg;
import dev.algd.engine.alg.AlgAddress;
import dev.algd.engine.alg.AlgCounters;
import dev.algd.engine.alg.AlgEndpoint;
import dev.algd.engine.alg.AlgEvent;
import dev.algd.engine.alg.AlgOutcome;
import dev.algd.engine.alg.AlgPacket;
import dev.algd.engine.alg.AlgPolicy;
import dev.algd.engine.alg.AlgRegistry;
import dev.algd.engine.alg.AlgSessionTable;
import dev.algd.engine.alg.AlgStatistic;
import dev.algd.engine.alg.AlgStatistics;
import dev.algd.engine.alg.Expectation;
import dev.algd.engine.alg.ExpectationObserver;
import dev.algd.engine.alg.ExpectationReason;
import dev.algd.engine.alg.ExpectationTable;
import dev.algd.engine.alg.LineReassembly;
import dev.algd.engine.alg.RewriteReason;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.Ipv6Address;
import dev.algd.engine.firewall.FirewallPolicy;
import dev.algd.engine.nat.DestinationNatPolicy;
import dev.algd.engine.nat.PortAllocator;
import dev.algd.engine.nat.SourceNatPolicy;
import dev.algd.engine.packet.Checksums;
import dev.algd.engine.packet.GreHeader;
import dev.algd.engine.packet.IcmpHeader;
import dev.algd.engine.packet.Ipv4Header;
import dev.algd.engine.packet.Ipv4Reason;
import dev.algd.engine.packet.Ipv6Header;
import dev.algd.engine.packet.TcpHeader;
import dev.algd.engine.packet.UdpHeader;
import dev.algd.engine.route.Fib;
import dev.algd.engine.session.Direction;
import dev.algd.engine.session.SessionState;
import dev.algd.engine.session.SessionTable;
import dev.algd.engine.session.Timeouts;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The data path of one worker: IPv4 forwarding with source and destination NAT for TCP, UDP and ICMP echo, and a session table
 * that both directions of a flow find. Single-threaded: only the owning worker calls it, management included
 * (packet-io runs management calls on the worker between batches).
 * <p>
 * Per packet ({@link #process}): validate the IPv4 header; find the session by the packet's 5-tuple (ICMP echo:
 * the identifier is the request's source port and the reply's destination port); without one, match the destination
 * NAT rules of the ingress interface, then answer an echo request to algd's own (untranslated) address in place or
 * drop what else is addressed to algd, otherwise create a session (route lookup for the translated destination,
 * first matching SNAT rule, port allocation). Then rewrite the packet to the session's translation for its
 * direction with incremental checksum updates (RFC 1624), decrement the TTL, track state and counters, and set the
 * egress interface and next hop. No allocation, no exceptions on packet contents: every drop is counted by reason.
 * <p>
 * IPv6 packets (version 6, recognised only once the IPv4 header check failed, so IPv4 pays nothing for them) go to
 * {@link Ipv6DataPath}, which has its own session table with IPv6 keys and shares the drop counters, the firewall,
 * the ICMP error token bucket and the whole ALG framework: one expectation table, ALG slot table and event ring
 * for both families, reached through {@link #sessionCreated} and {@link #passesAlg} (addresses in
 * {@link AlgAddress} form).
 * <p>
 * Config ({@link #apply}): routes, rules and interface names are rebuilt once per apply. A session keeps its
 * translation (stored in its reply key) and its interface name; only its cached routes are recomputed.
 */
public final class Engine {
    /** Slots examined per {@link #expire} call: a full round of a 2^20 table takes 64 calls, about 6.4 s. */
    static final int EXPIRE_SLICE_SLOTS = 16_384;
    /**
     * Sessions removed per {@link #expire} call at most: a removal (index backward shift, free list, ALG state) costs
     * about 0.25 us, so a call stays near 0.3 ms however many sessions fall due at once (bench/run-jmh.sh expiry).
     */
    static final int EXPIRE_SLICE_REMOVALS = 1_024;
    /** {@link #sessions(long, int, long, List)}: the walk has reached the end of the tables. */
    public static final long END_OF_SESSIONS = -1;
    /**
     * Slots one page of {@link #sessions(long, int, long, List)} looks at, at most: a free slot costs one look at a
     * boolean, so an empty stretch of 2^18 slots keeps the worker about 0.3 ms, and a walk over an empty default
     * table (2^20 IPv4 and 2^18 IPv6 slots) takes 5 calls.
     */
    static final int PAGE_SLOTS = 1 << 18;
    /** TTL of echo replies algd writes itself (Linux's default ip_default_ttl). */
    static final int LOCAL_REPLY_TTL = 64;
    private static final String FEATURE_SNAT = "snat";
    private static final String FEATURE_DNAT = "dnat";
    private static final String FEATURE_FIREWALL = "firewall";
    private static final String FEATURE_ALG = "alg";
    private static final AlgId[] ALG_IDS = AlgId.values();
    /** Expectations examined per {@link #expire} call. */
    static final int EXPIRE_SLICE_EXPECTATIONS = 1_024;
    /** Vyatta's pinhole tables hold at most 16K entries each (alg-behaviour.md §0); algd keeps one table. */
    static final int MAX_EXPECTATIONS = 16_384;
    /** {@link SessionTable#flags} bit: the session was created through at least one accepting rule set. */
    static final int FLAG_FIREWALL = 1;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /**
     * ICMP errors algd sends itself: at most 1000 per second per worker with bursts of 50, Linux's defaults
     * ({@code net.ipv4.icmp_msgs_per_sec}, {@code icmp_msgs_burst}); RFC 1812 §4.3.2.8 asks routers to limit them.
     */
    static final long ICMP_ERROR_INTERVAL_NANOS = NANOS_PER_SECOND / 1_000;
    static final long ICMP_ERROR_BURST = 50;
    /** RFC 1812 §4.3.2.3: an ICMP error quotes as much of the datagram as fits in 576 bytes. */
    static final int ICMP_ERROR_MAX_LENGTH = 576;
    /** RFC 792: an ICMP error quotes the IP header and at least the first 64 bits of the datagram's data. */
    static final int ICMP_ERROR_QUOTED_L4_BYTES = 8;
    /** RFC 791: every IPv4 module must forward a 68-byte datagram without fragmenting it. */
    static final int MIN_MTU = 68;
    /** RFC 1191: destination unreachable, code 4 "fragmentation needed and DF set". */
    static final int CODE_FRAGMENTATION_NEEDED = 4;
    private static final java.lang.foreign.ValueLayout.OfShort U16 =
            java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final java.lang.foreign.ValueLayout.OfInt U32 =
            java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private static final DropReason[] DROP_BY_IPV4_REASON = new DropReason[Ipv4Reason.values().length];

    static {
        DROP_BY_IPV4_REASON[Ipv4Reason.TRUNCATED.ordinal()] = DropReason.TRUNCATED;
        DROP_BY_IPV4_REASON[Ipv4Reason.NOT_VERSION_4.ordinal()] = DropReason.NOT_IPV4;
        DROP_BY_IPV4_REASON[Ipv4Reason.HEADER_LENGTH_BELOW_5.ordinal()] = DropReason.BAD_HEADER_LENGTH;
        DROP_BY_IPV4_REASON[Ipv4Reason.BAD_TOTAL_LENGTH.ordinal()] = DropReason.BAD_TOTAL_LENGTH;
        DROP_BY_IPV4_REASON[Ipv4Reason.BAD_HEADER_CHECKSUM.ordinal()] = DropReason.BAD_HEADER_CHECKSUM;
        DROP_BY_IPV4_REASON[Ipv4Reason.FRAGMENT.ordinal()] = DropReason.FRAGMENT;
    }

    private final SessionTable sessions;
    private final PortAllocator portAllocator;
    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();
    private final IcmpHeader icmp = new IcmpHeader();
    private final GreHeader gre = new GreHeader();
    /** The IPv4 header embedded in an ICMP error. */
    private final Ipv4Header embeddedIp = new Ipv4Header();
    private final long[] drops = new long[DropReason.values().length];
    private final Alg[] algImplementations = new Alg[ALG_IDS.length];
    /**
     * Each ALG's {@link Alg#policy()} with the expectation timeout of the config in force
     * ({@code system alg X expectation-timeout}), rebuilt at every {@link #apply}.
     */
    private final AlgPolicy[] algPolicies = new AlgPolicy[ALG_IDS.length];
    private final long[] algCounters = new long[AlgEvent.values().length];
    private final AlgStatistics algStatistics = new AlgStatistics();
    private final AlgSessionTable algSessions;
    private final ExpectationTable expectations;
    private final AlgPacket algPacket;
    /** A new child flow's source or destination as its expectation translates it ({@link ExpectationTable}). */
    private final AlgEndpoint childEndpoint = new AlgEndpoint();
    private final LineReassembly reassembly;
    private final AlgSessionEvents algSessionEvents = new AlgSessionEvents(AlgSessionEvents.DEFAULT_CAPACITY);
    /** The time of the call in progress, for events raised from inside the session table. */
    private long nowNanos;
    /** Set while {@link #clearSessions} removes sessions, so their events say why. */
    private boolean isClearing;
    private AlgRegistry algRegistry;
    private long packetsReceived;
    private long packetsForwarded;
    private long echoRepliesSent;
    private long icmpErrorsTranslated;

    private EngineConfig config;
    private Fib fib;
    private SourceNatPolicy sourceNat;
    private DestinationNatPolicy destinationNat;
    private FirewallPolicy firewall;
    private String[] interfaceNames;
    /** Each interface's first address (the source of the ICMP errors algd sends on it), or 0 when it has none. */
    private int[] interfaceAddresses;
    private long timeExceededSent;
    /**
     * Each interface's MTU, the largest IPv4 packet it may send, set by packet-io from its device
     * ({@link #interfaceMtu}); 0 means unlimited (an engine without packet-io, as in unit tests).
     */
    private int[] interfaceMtus = new int[0];
    private long fragmentationNeededSent;
    /** Token bucket for the ICMP errors algd sends: tokens in nanoseconds of credit, refilled by elapsed time. */
    private long icmpErrorCreditNanos = ICMP_ERROR_BURST * ICMP_ERROR_INTERVAL_NANOS;
    private long icmpErrorRefilledAtNanos;
    private boolean icmpErrorBucketStarted;
    private final Ipv6DataPath ipv6;
    /** Bumped on every apply; sessions' cached routes from another generation are looked up again. Never 0. */
    private int routeGeneration;

    // The packet being processed, read once by readFlowKey().
    private int protocol;
    private int sourceAddress;
    private int sourcePort;
    private int destinationAddress;
    private int destinationPort;
    private int tcpFlags;
    private int icmpType;
    private boolean isIcmpError;
    private int createdSlot;
    private DropReason lastDropReason;
    // A new flow's destination after destination NAT (the packet's own when no rule translates it).
    private boolean translatesDestination;
    private int newFlowDestinationAddress;
    private int newFlowDestinationPort;

    public Engine(EngineConfig config, EngineLimits limits) {
        this(config, limits, Timeouts.defaults());
    }

    public Engine(EngineConfig config, EngineLimits limits, Timeouts timeouts) {
        this(config, limits, timeouts, List.of());
    }

    /**
     * An engine with these ALG implementations, at most one per {@link AlgId}. The config decides which flows each
     * one sees; a session keeps its ALG for its whole life, even after the ALG is disabled (the guide: existing
     * sessions keep referencing it). Per-session ALG state and expectations get a quarter of
     * {@code maxSessions} slots each, at least 64, expectations at most {@link #MAX_EXPECTATIONS}.
     */
    public Engine(EngineConfig config, EngineLimits limits, Timeouts timeouts, List<Alg> algs) {
        this(config, limits, timeouts, algs, 0, 1);
    }

    /**
     * Engine {@code worker} of {@code workers} in a data plane with one engine per worker (packet-io's MULTICORE.md):
     * its session ids carry {@code worker} ({@link SessionTable#workerOf}), and its expectation table has room for
     * the expectations the other workers' ALGs post to it ({@link #expectForPeer}), under parents of their own.
     */
    public Engine(EngineConfig config, EngineLimits limits, Timeouts timeouts, List<Alg> algs, int worker,
            int workers) {
        if (workers < 1 || workers > SessionTable.MAX_WORKERS || worker < 0 || worker >= workers) {
            throw new IllegalArgumentException("worker " + worker + " of " + workers + ": there may be 1.."
                    + SessionTable.MAX_WORKERS + " workers, numbered from 0");
        }
        sessions = new SessionTable(limits.maxSessions(), timeouts);
        sessions.workerIndex(worker);
        portAllocator = new PortAllocator(sessions);
        for (Alg alg : algs) {
            if (algImplementations[alg.id().ordinal()] != null) {
                throw new IllegalArgumentException("two implementations of the " + alg.id().yangName() + " ALG");
            }
            algImplementations[alg.id().ordinal()] = alg;
        }
        int algSlots = Math.max(64, limits.maxSessions() / 4);
        algSessions = new AlgSessionTable(algSlots);
        // Parents 0..algSlots-1 are this engine's ALG slots; then one block of algSlots per worker, standing for
        // that worker's ALG slots as parents of the expectations it posted here.
        int parents = workers > 1 ? algSlots * (1 + workers) : algSlots;
        expectations = new ExpectationTable(Math.min(MAX_EXPECTATIONS, algSlots), parents, algCounters, algStatistics);
        reassembly = new LineReassembly(algSlots, algCounters);
        algPacket = new AlgPacket(expectations, algSessions, algCounters, algStatistics, reassembly);
        sessions.removalListener((slot, algSlot) -> sessionRemoved(sessions, slot, algSlot));
        // IPv6 sessions get their own table, a quarter of the IPv4 one, at least 64 slots.
        ipv6 = new Ipv6DataPath(this, drops, Math.max(64, limits.maxSessions() / 4), timeouts);
        SessionTable sessions6 = ipv6.sessions();
        sessions6.removalListener((slot, algSlot) -> sessionRemoved(sessions6, slot, algSlot));
        ipv6.sessions().workerIndex(worker);
        if (limits.maxSessionsPerSource() > 0) {
            sessions.limitSessionsPerSource(limits.maxSessionsPerSource());
            ipv6.sessions().limitSessionsPerSource(limits.maxSessionsPerSource());
        }
        apply(config);
    }

    /** Whether this engine has code for {@code alg}; without it, configuration names the ALG to no effect. */
    public boolean isImplemented(dev.algd.engine.config.AlgId alg) {
        return algImplementations[alg.ordinal()] != null;
    }

    /**
     * A session with an ALG (of either table) ended: its expectations and its ALG slot (if it has one) go with it.
     */
    private void sessionRemoved(SessionTable table, int slot, int algSlot) {
        if (algSlot != SessionTable.NO_ALG_SLOT) {
            algPacket.parentEnded(algSlot, table.id(slot));
            expectations.removeAllOf(algSlot);
            reassembly.dropAll(algSlot);
            algSessions.release(algSlot);
        }
        SessionState state = table.state(slot);
        boolean tcpClosed = table.protocol(slot) == Ipv4Header.PROTOCOL_TCP
                && state.ordinal() >= SessionState.FW.ordinal() && state != SessionState.LI;
        recordAlgSession(table, AlgSessionEvent.Kind.CLOSED, slot, isClearing ? AlgSessionEvent.CloseReason.CLEARED
                : tcpClosed ? AlgSessionEvent.CloseReason.CLOSED : AlgSessionEvent.CloseReason.IDLE_TIMEOUT);
    }

    private void recordAlgSession(SessionTable table, AlgSessionEvent.Kind kind, int slot,
            AlgSessionEvent.CloseReason reason) {
        int original = Direction.ORIGINAL;
        int reply = Direction.REPLY;
        boolean isIpv6 = table.isIpv6();
        algSessionEvents.record(kind, nowNanos, table.id(slot), table.parentId(slot), table.algId(slot),
                table.protocol(slot), addressHigh(table, isIpv6, slot, original, true),
                addressLow(table, isIpv6, slot, original, true), table.sourcePort(slot, original),
                addressHigh(table, isIpv6, slot, original, false), addressLow(table, isIpv6, slot, original, false),
                table.destinationPort(slot, original), addressHigh(table, isIpv6, slot, reply, false),
                addressLow(table, isIpv6, slot, reply, false), table.destinationPort(slot, reply), reason);
    }

    /** The high 64 bits of a session's source or destination address in {@link AlgAddress} form. */
    private static long addressHigh(SessionTable table, boolean isIpv6, int slot, int direction, boolean isSource) {
        if (!isIpv6) {
            return AlgAddress.IPV4_HIGH;
        }
        return isSource ? table.sourceHigh(slot, direction) : table.destinationHigh(slot, direction);
    }

    private static long addressLow(SessionTable table, boolean isIpv6, int slot, int direction, boolean isSource) {
        if (!isIpv6) {
            return AlgAddress.ipv4Low(isSource ? table.sourceAddress(slot, direction)
                    : table.destinationAddress(slot, direction));
        }
        return isSource ? table.sourceLow(slot, direction) : table.destinationLow(slot, direction);
    }

    /**
     * Takes up to {@code max} ALG session events (management path, allocates); {@link AlgSessionEvents#overflowed()}
     * counts those the full ring had to drop.
     */
    public List<AlgSessionEvent> drainAlgSessionEvents(int max) {
        return algSessionEvents.drain(max);
    }

    /** ALG session events dropped because management did not drain the ring in time. */
    public long algSessionEventsOverflowed() {
        return algSessionEvents.overflowed();
    }

    /**
     * Decides what happens to {@code packet}, rewriting it in place (NAT, TTL, checksums kept valid). On
     * {@link Verdict#FORWARD} sets {@link Packet#egressInterface} and {@link Packet#nextHop}. Never allocates.
     */
    public Verdict process(Packet packet, long nowNanos) {
        this.nowNanos = nowNanos;
        packetsReceived++;
        MemorySegment segment = packet.segment;
        long available = Math.min(packet.length, segment.byteSize() - packet.offset);
        if (packet.offset < 0 || available < Ipv4Header.MIN_LENGTH) {
            return drop(DropReason.TRUNCATED);
        }
        ip.wrap(segment, packet.offset);
        Ipv4Reason ipv4 = ip.validate(available);
        if (ipv4 != Ipv4Reason.OK) {
            // Checked only once IPv4 failed, so the IPv4 path pays nothing for IPv6.
            if (ipv4 == Ipv4Reason.NOT_VERSION_4 && ip.version() == Ipv6Header.VERSION) {
                return ipv6.process(packet, available, nowNanos);
            }
            return drop(DROP_BY_IPV4_REASON[ipv4.ordinal()]);
        }
        int ingress = packet.ingressInterface;
        if (ingress < 0 || ingress >= interfaceNames.length) {
            return drop(DropReason.UNKNOWN_INGRESS_INTERFACE);
        }
        DropReason malformed = readFlowKey();
        if (malformed != null) {
            return drop(malformed);
        }
        if (isIcmpError) {
            return forwardIcmpError(packet, nowNanos);
        }
        int found = sessions.find(protocol, sourceAddress, sourcePort, destinationAddress, destinationPort, nowNanos);
        if (found == SessionTable.NOT_FOUND && protocol == GreHeader.PROTOCOL && destinationPort != 0) {
            found = GreSessions.learnCallId(sessions,
                    sessions.find(protocol, sourceAddress, 0, destinationAddress, 0, nowNanos), destinationPort,
                    nowNanos);
        }
        int expectation = ExpectationTable.NONE;
        if (found == SessionTable.NOT_FOUND) {
            expectation = expectations.find(protocol, sourceAddress, sourcePort, destinationAddress, destinationPort,
                    nowNanos);
            if (expectation != ExpectationTable.NONE) {
                matchExpectation(expectation);
            } else {
                matchDestinationNat(ingress);
                if (!translatesDestination && fib.isLocalAddress(destinationAddress)) {
                    return answerLocally(packet);
                }
            }
        }
        if (ip.ttl() <= 1) {
            return sendTimeExceeded(packet, nowNanos);
        }
        if (found == SessionTable.NOT_FOUND) {
            DropReason refused = createSession(ingress, expectation, nowNanos);
            if (refused != null) {
                return drop(refused);
            }
            found = createdSlot << 1 | Direction.ORIGINAL;
        }
        int slot = SessionTable.slotOf(found);
        int direction = SessionTable.directionOf(found);
        int other = Direction.opposite(direction);
        // A packet leaves as the mirror image of the other direction's key.
        int newSource = sessions.destinationAddress(slot, other);
        int newSourcePort = sessions.destinationPort(slot, other);
        int newDestination = sessions.sourceAddress(slot, other);
        int newDestinationPort = sessions.sourcePort(slot, other);
        long route = routeFor(slot, direction, newDestination);
        if (route == Fib.NO_ROUTE) {
            return drop(DropReason.NO_ROUTE);
        }
        int egressMtu = interfaceMtus[Fib.egressInterface(route)];
        if (egressMtu != 0 && (packet.segmentLength != 0 ? packet.segmentLength : ip.totalLength()) > egressMtu) {
            return tooBigForEgress(packet, egressMtu);
        }
        rewrite(newSource, newSourcePort, newDestination, newDestinationPort);
        int algSlot = sessions.algSlot(slot);
        if (algSlot != SessionTable.NO_ALG_SLOT && !passesAlg(packet, sessions, slot, direction, algSlot,
                ip.payloadOffset(), ip.totalLength() - ip.headerLength(), protocol, tcpFlags, nowNanos)) {
            return drop(DropReason.ALG);
        }
        sessions.track(slot, direction, tcpFlags, ip.totalLength(), nowNanos);
        packet.egressInterface = Fib.egressInterface(route);
        packet.nextHop = Fib.nextHop(route);
        packetsForwarded++;
        return Verdict.FORWARD;
    }

    /**
     * Gives back the memory of sessions that have been idle past their timeout, examining a bounded slice of the
     * table and removing a bounded number of sessions per call (lookups already ignore expired sessions), so one call
     * never holds up forwarding for long. The worker calls it about every 100 ms, and again between batches while it
     * answers true: the removal bound was reached, so more sessions may be due (a million expiring at once).
     */
    public boolean expire(long nowNanos) {
        this.nowNanos = nowNanos;
        int removed = sessions.expire(nowNanos, EXPIRE_SLICE_SLOTS, EXPIRE_SLICE_REMOVALS);
        int removedIpv6 = ipv6.sessions().expire(nowNanos, EXPIRE_SLICE_SLOTS, EXPIRE_SLICE_REMOVALS);
        expectations.expire(nowNanos, EXPIRE_SLICE_EXPECTATIONS);
        return removed == EXPIRE_SLICE_REMOVALS || removedIpv6 == EXPIRE_SLICE_REMOVALS;
    }

    /**
     * Sets the MTU of the interface at data-path index {@code index} of the current config: a packet routed out of
     * it that is longer gets ICMP fragmentation-needed when its DF bit is set (RFC 1191) and is dropped as
     * {@link DropReason#EXCEEDS_MTU} when not (algd does not fragment). {@link #apply} resets every MTU to 0
     * (unlimited), so packet-io sets them again after each apply, before the next packet.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not an interface of the current config
     * @throws IllegalArgumentException if {@code mtu} is neither 0 nor 68..65535 (RFC 791's minimum)
     */
    public void interfaceMtu(int index, int mtu) {
        java.util.Objects.checkIndex(index, interfaceMtus.length);
        if (mtu != 0 && (mtu < MIN_MTU || mtu > 65_535)) {
            throw new IllegalArgumentException("MTU " + mtu + " of interface " + interfaceNames[index]
                    + " is outside " + MIN_MTU + "..65535");
        }
        interfaceMtus[index] = mtu;
    }

    /** Swaps in {@code config} for new flows; existing sessions keep their translation and interface name. */
    public void apply(EngineConfig config) {
        Fib newFib = Fib.build(config);
        SourceNatPolicy newSourceNat = SourceNatPolicy.compile(config);
        DestinationNatPolicy newDestinationNat = DestinationNatPolicy.compile(config);
        FirewallPolicy newFirewall = FirewallPolicy.compile(config);
        AlgRegistry newAlgRegistry = AlgRegistry.build(config, algImplementations);
        String[] names = new String[config.interfaces().size()];
        int[] addresses = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = config.interfaces().get(i).name();
            List<dev.algd.engine.config.Ipv4Prefix> prefixes = config.interfaces().get(i).addresses();
            addresses[i] = prefixes.isEmpty() ? 0 : prefixes.get(0).address();
        }
        this.config = config;
        this.fib = newFib;
        this.sourceNat = newSourceNat;
        this.destinationNat = newDestinationNat;
        this.firewall = newFirewall;
        this.algRegistry = newAlgRegistry;
        this.interfaceNames = names;
        this.interfaceAddresses = addresses;
        this.interfaceMtus = new int[names.length];
        ipv6.apply(config, newFirewall, names);
        routeGeneration = routeGeneration == Integer.MAX_VALUE ? 1 : routeGeneration + 1;
        for (Alg alg : algImplementations) {
            if (alg != null) {
                algPolicies[alg.id().ordinal()] = new AlgPolicy(alg.policy().maxExpectationsPerParent(),
                        config.alg(alg.id()).timeouts().expectationSeconds());
                alg.apply(config);
            }
        }
    }

    public EngineConfig config() {
        return config;
    }

    /** A copy of every live session, in slot order (no particular order, as the guide says). */
    public List<SessionView> sessions(long nowNanos) {
        List<SessionView> views = new ArrayList<>(sessions.size() + ipv6.sessions().size());
        long cursor = 0;
        do {
            cursor = sessions(cursor, Integer.MAX_VALUE, nowNanos, views);
        } while (cursor != END_OF_SESSIONS);
        return views;
    }

    /** Every pending expectation of this worker (management path), its own ALGs' and those other workers posted. */
    public List<dev.algd.engine.alg.ExpectationView> expectations(long nowNanos) {
        return expectations.views(nowNanos);
    }

    /**
     * One page of a walk over the live sessions, for a reader that must not copy the whole table at once (a
     * {@code <get>} of 100 000 sessions): adds to {@code out} the live sessions of the slots from {@code cursor} on
     * (the IPv4 table's, then the IPv6 table's), at most {@code maxSessions} of them, and looks at no more than
     * {@value #PAGE_SLOTS} slots, so that a call keeps the worker from its packets for a bounded time. Returns the
     * cursor of the next page, or {@link #END_OF_SESSIONS}; a page may be empty before the end.
     * <p>
     * A session never moves from its slot, and a walk visits each slot once: a session alive from the first page to
     * the last is in exactly one page, one created or removed meanwhile in one page or none; like
     * {@code conntrack -L}, not a point-in-time snapshot.
     *
     * @param cursor 0 for the first page, then what the previous call returned
     */
    public long sessions(long cursor, int maxSessions, long nowNanos, List<SessionView> out) {
        SessionTable sessions6 = ipv6.sessions();
        long end = (long) sessions.capacity() + sessions6.capacity();
        if (cursor < 0 || cursor > end) {
            throw new IllegalArgumentException("session cursor " + cursor + " is outside 0.." + end);
        }
        long last = Math.min(end, cursor + PAGE_SLOTS);
        int added = 0;
        for (; cursor < last && added < maxSessions; cursor++) {
            boolean isIpv4 = cursor < sessions.capacity();
            SessionTable table = isIpv4 ? sessions : sessions6;
            int slot = (int) (isIpv4 ? cursor : cursor - sessions.capacity());
            if (table.isLive(slot, nowNanos)) {
                out.add(view(table, slot, nowNanos));
                added++;
            }
        }
        return cursor == end ? END_OF_SESSIONS : cursor;
    }

    /**
     * Removes every live session {@code filter} matches and returns how many (management path: it scans the
     * table). Expectations and ALG state of a removed session go with it; its children live on until they end.
     */
    public int clearSessions(SessionFilter filter, long nowNanos) {
        this.nowNanos = nowNanos;
        int cleared = 0;
        for (int slot = 0; slot < sessions.capacity(); slot++) {
            if (sessions.isLive(slot, nowNanos) && filter.matches(view(slot, nowNanos))) {
                isClearing = true;
                sessions.remove(slot);
                isClearing = false;
                cleared++;
            }
        }
        SessionTable sessions6 = ipv6.sessions();
        for (int slot = 0; slot < sessions6.capacity(); slot++) {
            if (sessions6.isLive(slot, nowNanos) && filter.matches(view(sessions6, slot, nowNanos))) {
                isClearing = true;
                sessions6.remove(slot);
                isClearing = false;
                cleared++;
            }
        }
        return cleared;
    }

    /** The live session with this id, or null. The id names its slot: no scan. */
    public SessionView session(long id, long nowNanos) {
        SessionTable table = (id & SessionTable.IPV6_ID_BIT) != 0 ? ipv6.sessions() : sessions;
        int slot = table.findById(id, nowNanos);
        return slot == SessionTable.NOT_FOUND ? null : view(table, slot, nowNanos);
    }

    public EngineCounters counters() {
        Map<DropReason, Long> byReason = new EnumMap<>(DropReason.class);
        long dropped = 0;
        for (DropReason reason : DropReason.values()) {
            byReason.put(reason, drops[reason.ordinal()]);
            dropped += drops[reason.ordinal()];
        }
        SessionTable sessions6 = ipv6.sessions();
        return new EngineCounters(packetsReceived, packetsForwarded + ipv6.packetsForwarded(), dropped,
                echoRepliesSent + ipv6.echoRepliesSent(), byReason, sessions.size() + sessions6.size(),
                sessions.createdCount() + sessions6.createdCount(), sessions.expiredCount() + sessions6.expiredCount(),
                sessions.evictedCount() + sessions6.evictedCount());
    }

    /** Control lines held back now, waiting for the rest of their line ({@link LineReassembly}). */
    public int reassemblyHeldLines() {
        return reassembly.heldCount();
    }

    /**
     * ICMP errors forwarded because their embedded packet belongs to a session (RELATED to it, in firewall terms:
     * the firewall is not evaluated for them, as for any packet of an existing session).
     */
    public long icmpErrorsTranslated() {
        return icmpErrorsTranslated + ipv6.icmpErrorsTranslated();
    }

    /** ICMP time-exceeded errors algd sent for packets whose TTL ran out here (those not sent count as drops). */
    public long timeExceededSent() {
        return timeExceededSent + ipv6.timeExceededSent();
    }

    /**
     * ICMP fragmentation-needed errors algd sent for DF packets longer than their egress MTU, and ICMPv6 packet-too-big
     * errors for IPv6 packets longer than theirs (those not sent count as FRAGMENTATION_NEEDED drops).
     */
    public long fragmentationNeededSent() {
        return fragmentationNeededSent + ipv6.packetTooBigSent();
    }

    /** The MTU of the interface at data-path index {@code index}, as {@link #interfaceMtu(int, int)} set it. */
    int interfaceMtu(int index) {
        return interfaceMtus[index];
    }

    /** A snapshot of the ALG framework's counters: expectations, inspections, rewrites. */
    public AlgCounters algCounters() {
        return AlgCounters.of(algCounters, algStatistics, expectations.size(), algSessions.size());
    }

    /** Each implemented ALG's own counters by name ({@link Alg#diagnostics()}); a snapshot, allocates. */
    public Map<AlgId, Map<String, Long>> algDiagnostics() {
        Map<AlgId, Map<String, Long>> all = new EnumMap<>(AlgId.class);
        for (Alg alg : algImplementations) {
            if (alg != null) {
                all.put(alg.id(), alg.diagnostics());
            }
        }
        return all;
    }

    private Verdict drop(DropReason reason) {
        drops[reason.ordinal()]++;
        lastDropReason = reason;
        return Verdict.DROP;
    }

    /** Why the last {@link Verdict#DROP} of {@link #process} was given (a multi-worker data plane hands some off). */
    public DropReason lastDropReason() {
        return lastDropReason;
    }

    /** Hears of every expectation an ALG stores (a multi-worker data plane posts some to other workers); or null. */
    public void expectationObserver(ExpectationObserver observer) {
        algPacket.observer(observer);
    }

    /**
     * Stores an expectation that worker {@code peer}'s ALG created for its parent in ALG slot {@code peerAlgSlot}
     * (session {@code parentSessionId}), because the child flow will arrive at this engine. The child session names
     * that parent id. Its parent's end arrives as {@link #removeExpectationsOfPeer}.
     */
    public ExpectationReason expectForPeer(int peer, int peerAlgSlot, long parentSessionId, int algId,
            Expectation request, int maxPerParent, long timeoutNanos, long nowNanos) {
        int parent = peerParent(peer, peerAlgSlot);
        return expectations.add(request, parent, parentSessionId, algId, maxPerParent, timeoutNanos, nowNanos);
    }

    /** Worker {@code peer}'s parent in ALG slot {@code peerAlgSlot} ended: its expectations here go with it. */
    public void removeExpectationsOfPeer(int peer, int peerAlgSlot) {
        expectations.removeAllOf(peerParent(peer, peerAlgSlot));
    }

    private int peerParent(int peer, int peerAlgSlot) {
        int slots = algSessions.capacity();
        Objects.checkIndex(peerAlgSlot, slots);
        return Objects.checkIndex(slots * (1 + peer) + peerAlgSlot, expectations.parentCapacity());
    }

    /**
     * Reads protocol, addresses, ports (or echo identifier, or PPTP call id: {@link GreSessions}) and TCP flags;
     * null if the L4 header is usable.
     */
    private DropReason readFlowKey() {
        protocol = ip.protocol();
        sourceAddress = ip.sourceAddress();
        destinationAddress = ip.destinationAddress();
        tcpFlags = 0;
        isIcmpError = false;
        long l4 = ip.payloadOffset();
        int l4Length = ip.totalLength() - ip.headerLength();
        MemorySegment segment = ip.segment();
        if (protocol == Ipv4Header.PROTOCOL_TCP) {
            if (l4Length < TcpHeader.MIN_LENGTH) {
                return DropReason.TRUNCATED_L4_HEADER;
            }
            tcp.wrap(segment, l4);
            int headerLength = tcp.headerLength();
            if (headerLength < TcpHeader.MIN_LENGTH || headerLength > l4Length) {
                return DropReason.TRUNCATED_L4_HEADER;
            }
            sourcePort = tcp.sourcePort();
            destinationPort = tcp.destinationPort();
            tcpFlags = tcp.flags();
            return null;
        }
        if (protocol == Ipv4Header.PROTOCOL_UDP) {
            if (l4Length < UdpHeader.LENGTH) {
                return DropReason.TRUNCATED_L4_HEADER;
            }
            udp.wrap(segment, l4);
            sourcePort = udp.sourcePort();
            destinationPort = udp.destinationPort();
            return null;
        }
        if (protocol == Ipv4Header.PROTOCOL_ICMP) {
            if (l4Length < IcmpHeader.ECHO_LENGTH) {
                return DropReason.TRUNCATED_L4_HEADER;
            }
            icmp.wrap(segment, l4);
            icmpType = icmp.type();
            if (icmpType == IcmpHeader.TYPE_ECHO_REQUEST) {
                sourcePort = icmp.identifier();
                destinationPort = 0;
                return null;
            }
            if (icmpType == IcmpHeader.TYPE_ECHO_REPLY) {
                sourcePort = 0;
                destinationPort = icmp.identifier();
                return null;
            }
            if (icmpType == IcmpHeader.TYPE_DESTINATION_UNREACHABLE || icmpType == IcmpHeader.TYPE_TIME_EXCEEDED
                    || icmpType == IcmpHeader.TYPE_PARAMETER_PROBLEM) {
                isIcmpError = true;
                return null;
            }
            return DropReason.UNSUPPORTED_ICMP_TYPE;
        }
        if (protocol == GreHeader.PROTOCOL) {
            sourcePort = 0;
            DropReason malformed = GreSessions.validate(gre, segment, l4, l4Length);
            destinationPort = malformed == null ? GreSessions.destinationPort(gre) : 0;
            return malformed;
        }
        return DropReason.UNSUPPORTED_PROTOCOL;
    }

    /** Whether {@code protocol} (an IPv4 protocol or IPv6 next header) has ports rules may match and NAT translate. */
    static boolean hasPorts(int protocol) {
        return protocol == Ipv4Header.PROTOCOL_TCP || protocol == Ipv4Header.PROTOCOL_UDP;
    }

    /**
     * Destination NAT of a packet that matched no session, evaluated on its ingress interface before anything
     * else looks at its destination (a port forward to algd's own address is not a local packet). Leaves the
     * result in {@link #translatesDestination}, {@link #newFlowDestinationAddress} and
     * {@link #newFlowDestinationPort}.
     */
    private void matchDestinationNat(int ingress) {
        boolean hasPorts = hasPorts(protocol);
        int rule = destinationNat.match(ingress, protocol, sourceAddress, sourcePort, destinationAddress,
                destinationPort, hasPorts);
        translatesDestination = rule != DestinationNatPolicy.NO_MATCH && !destinationNat.isExclude(rule);
        newFlowDestinationAddress = translatesDestination ? destinationNat.translationAddress(rule) : destinationAddress;
        newFlowDestinationPort = translatesDestination
                ? destinationNat.translatedPort(rule, destinationPort, hasPorts) : destinationPort;
    }

    /**
     * Creates the session of a packet that matched none, towards its destination after destination NAT; on success
     * leaves its slot in {@link #createdSlot}. The order is Vyatta's: DNAT, the inbound firewall of the ingress
     * interface, routing, the outbound firewall of the egress interface, SNAT. So both firewalls see the translated
     * destination and the original source, and SNAT rules see the translated destination. Firewalls are evaluated
     * here only, for the first packet (NEW): packets of an existing session are never re-evaluated.
     */
    private DropReason createSession(int ingress, int expectation, long nowNanos) {
        if (protocol == Ipv4Header.PROTOCOL_ICMP && icmpType == IcmpHeader.TYPE_ECHO_REPLY) {
            return DropReason.UNSOLICITED_ECHO_REPLY;
        }
        boolean isChild = expectation != ExpectationTable.NONE;
        int destination = newFlowDestinationAddress;
        int destinationPortAfterNat = newFlowDestinationPort;
        if (!isChild && !translatesDestination && sourceNat.isTranslationAddress(destination)) {
            return DropReason.NO_SESSION_FOR_TRANSLATION_ADDRESS;
        }
        if (translatesDestination && fib.isLocalAddress(destination)) {
            return DropReason.LOCAL_DESTINATION;
        }
        boolean hasPorts = hasPorts(protocol);
        // A child flow is RELATED to its parent (guide: the ALG opens a firewall pinhole for it).
        int state = isChild ? FirewallPolicy.STATE_RELATED : FirewallPolicy.STATE_NEW;
        int inboundRules = firewall.inboundRuleSet(ingress);
        if (!firewall.isAccepted(inboundRules, state, protocol, sourceAddress, sourcePort,
                destination, destinationPortAfterNat, hasPorts)) {
            return DropReason.FIREWALL_INBOUND;
        }
        long route = fib.lookup(destination);
        if (route == Fib.NO_ROUTE) {
            return DropReason.NO_ROUTE;
        }
        int outboundRules = firewall.outboundRuleSet(Fib.egressInterface(route));
        if (!firewall.isAccepted(outboundRules, state, protocol, sourceAddress, sourcePort,
                destination, destinationPortAfterNat, hasPorts)) {
            return DropReason.FIREWALL_OUTBOUND;
        }
        int translatedAddress = sourceAddress;
        int translatedPort = sourcePort;
        boolean childTranslatesSource = isChild && expectations.childSource(expectation, AlgAddress.IPV4_HIGH,
                AlgAddress.ipv4Low(sourceAddress), sourcePort, childEndpoint);
        int rule = childTranslatesSource ? SourceNatPolicy.NO_MATCH
                : sourceNat.match(Fib.egressInterface(route), protocol, sourceAddress, sourcePort,
                        destination, destinationPortAfterNat, hasPorts);
        if (childTranslatesSource) {
            translatedAddress = childEndpoint.ipv4();
            translatedPort = childEndpoint.port();
        } else if (rule != SourceNatPolicy.NO_MATCH && !sourceNat.isExclude(rule)) {
            if (!sourceNat.hasTranslationAddress(rule)) {
                return DropReason.NO_TRANSLATION_ADDRESS;
            }
            translatedAddress = sourceNat.translationAddress(rule);
            // GRE has no port to allocate: only its address is translated (GRE_REPLY_KEY_IN_USE below).
            if (protocol != GreHeader.PROTOCOL) {
                translatedPort = portAllocator.allocate(protocol, sourceAddress, sourcePort, translatedAddress,
                        destination, destinationPortAfterNat, sourceNat.translationPortFirst(rule),
                        sourceNat.translationPortLast(rule), sourceNat.keepsAnyOriginalPort(rule), nowNanos);
                if (translatedPort == PortAllocator.NO_FREE_PORT) {
                    return DropReason.NO_FREE_PORT;
                }
            }
        }
        int slot = sessions.create(protocol,
                sourceAddress, sourcePort, destinationAddress, destinationPort,
                destination, GreSessions.replySourcePort(protocol, destinationPortAfterNat), translatedAddress,
                translatedPort,
                tcpFlags, interfaceNames[ingress], isChild ? expectations.parentSessionId(expectation) : 0,
                nowNanos);
        if (slot == SessionTable.TABLE_FULL) {
            return DropReason.SESSION_TABLE_FULL;
        }
        if (slot == SessionTable.KEY_IN_USE) {
            return GreSessions.keyInUse(protocol);
        }
        if (slot == SessionTable.SOURCE_LIMIT) {
            return DropReason.SOURCE_SESSION_LIMIT;
        }
        sessions.cacheRoute(slot, Direction.ORIGINAL, routeGeneration, route);
        if (inboundRules != FirewallPolicy.NONE || outboundRules != FirewallPolicy.NONE) {
            sessions.addFlags(slot, FLAG_FIREWALL);
        }
        sessionCreated(sessions, slot, expectation, protocol, destinationPortAfterNat,
                natPortRange(sourceNat, rule));
        createdSlot = slot;
        return null;
    }

    /** The expectations of both data paths: a new flow of either family is looked up here first. */
    ExpectationTable expectations() {
        return expectations;
    }

    /**
     * For both data paths, a session was just created in {@code table}: it becomes the child of the
     * {@code expectation} it matched (showing its parent's ALG; only a child the ALG asked for gets a slot and is
     * inspected), or, without one, gets the ALG the registry maps its protocol and (translated) destination port to
     * (an IPv6 session only one that {@link Alg#supportsIpv6()}). An ALG session raises its created event.
     */
    void sessionCreated(SessionTable table, int slot, int expectation, int protocol, int destinationPortAfterNat,
            int natPortRange) {
        if (expectation != ExpectationTable.NONE) {
            int algId = expectations.algId(expectation);
            if (expectations.inspectsChild(expectation)) {
                assignAlgSlot(table, slot, algId, natPortRange);
            } else {
                table.assignAlg(slot, algId, SessionTable.NO_ALG_SLOT);
            }
            expectations.matched(expectation);
        } else {
            int algId = algRegistry.algFor(protocol, destinationPortAfterNat);
            if (algId != AlgRegistry.NO_ALG && (!table.isIpv6() || algImplementations[algId].supportsIpv6())) {
                assignAlgSlot(table, slot, algId, natPortRange);
            }
        }
        if (table.algId(slot) >= 0) {
            recordAlgSession(table, AlgSessionEvent.Kind.CREATED, slot, null);
        }
    }

    /** A new flow that matched an expectation goes where the expectation's translation says. */
    private void matchExpectation(int expectation) {
        translatesDestination = expectations.childDestination(expectation, AlgAddress.IPV4_HIGH,
                AlgAddress.ipv4Low(destinationAddress), destinationPort, childEndpoint);
        newFlowDestinationAddress = childEndpoint.ipv4();
        newFlowDestinationPort = childEndpoint.port();
    }

    /**
     * The translation port range source NAT {@code rule} names, {@code first << 16 | last}, for an ALG that takes a
     * child's port from it (FTP's PORT behind a port range, as Vyatta); 0 when no rule translated or it names none.
     */
    static int natPortRange(SourceNatPolicy sourceNat, int rule) {
        return rule == SourceNatPolicy.NO_MATCH || sourceNat.isExclude(rule) || sourceNat.keepsAnyOriginalPort(rule)
                ? 0 : sourceNat.translationPortFirst(rule) << 16 | sourceNat.translationPortLast(rule);
    }

    private void assignAlgSlot(SessionTable table, int slot, int algId, int natPortRange) {
        int algSlot = algSessions.allocate(slot, table.id(slot), algId, natPortRange);
        if (algSlot == AlgSessionTable.NONE) {
            algCounters[AlgEvent.ALG_SESSION_TABLE_FULL.ordinal()]++;
            algStatistics.count(algId, AlgStatistic.LIMIT_HITS);
            return;
        }
        table.assignAlg(slot, algId, algSlot);
        algCounters[AlgEvent.SESSION_ASSIGNED.ordinal()]++;
    }

    /** The ALG slot of the live parent {@code parentId} (of either table), or none (no parent, ended, no state). */
    private int parentAlgSlot(long parentId, long nowNanos) {
        if (parentId == 0) {
            return AlgSessionTable.NONE;
        }
        SessionTable table = (parentId & SessionTable.IPV6_ID_BIT) != 0 ? ipv6.sessions() : sessions;
        int parent = table.findById(parentId, nowNanos);
        if (parent == SessionTable.NOT_FOUND || table.algSlot(parent) == SessionTable.NO_ALG_SLOT) {
            return AlgSessionTable.NONE;
        }
        return table.algSlot(parent);
    }

    /**
     * For both data paths: a packet of the session in {@code slot} of {@code table}, which has ALG slot
     * {@code algSlot}, after its headers were translated. A RST ends the control-line reassembly; the payload goes
     * to the ALG ({@link #inspect}) with the tuple as it arrived (the key of its direction) and as it leaves (the
     * mirror of the other direction's key); TCP sequence numbers are shifted by the ALG's earlier length changes.
     * False when the ALG dropped the packet (counted here; the caller counts the drop reason).
     */
    boolean passesAlg(Packet packet, SessionTable table, int slot, int direction, int algSlot, long l4, int l4Length,
            int protocol, int tcpFlags, long nowNanos) {
        boolean isTcp = protocol == Ipv4Header.PROTOCOL_TCP;
        if (isTcp) {
            tcp.wrap(packet.segment, l4);
            if ((tcpFlags & TcpHeader.RST) != 0) {
                reassembly.dropAll(algSlot);
            }
        }
        boolean isIpv6 = table.isIpv6();
        int other = Direction.opposite(direction);
        algPacket.bindTuples(isIpv6,
                addressHigh(table, isIpv6, slot, direction, true), addressLow(table, isIpv6, slot, direction, true),
                table.sourcePort(slot, direction),
                addressHigh(table, isIpv6, slot, direction, false), addressLow(table, isIpv6, slot, direction, false),
                table.destinationPort(slot, direction),
                addressHigh(table, isIpv6, slot, other, false), addressLow(table, isIpv6, slot, other, false),
                table.destinationPort(slot, other),
                addressHigh(table, isIpv6, slot, other, true), addressLow(table, isIpv6, slot, other, true),
                table.sourcePort(slot, other));
        if (inspect(packet, table, slot, direction, algSlot, l4, l4Length, protocol, tcpFlags, nowNanos)
                == AlgOutcome.DROP) {
            algCounters[AlgEvent.PACKET_DROPPED.ordinal()]++;
            algStatistics.count(algSessions.algId(algSlot), AlgStatistic.DROPS);
            return false;
        }
        if (isTcp) {
            algPacket.rewriter().adjustSequenceNumbers(packet.segment, table.isIpv6(), packet.offset, l4, algSlot,
                    direction);
            dropHeldLineIfAcknowledged(algSlot, other, tcpFlags);
        }
        return true;
    }

    /**
     * Hands the payload of a packet of an ALG-inspected session to its ALG (the tuple already bound), after the
     * headers were translated. Packets without payload are not handed over.
     */
    private AlgOutcome inspect(Packet packet, SessionTable table, int slot, int direction, int algSlot, long l4,
            int l4Length, int protocol, int tcpFlags, long nowNanos) {
        MemorySegment segment = packet.segment;
        long payloadOffset;
        int payloadLength;
        if (protocol == Ipv4Header.PROTOCOL_TCP) {
            int headerLength = tcp.headerLength();
            payloadOffset = l4 + headerLength;
            payloadLength = l4Length - headerLength;
        } else if (protocol == Ipv4Header.PROTOCOL_UDP) {
            udp.wrap(segment, l4);
            payloadOffset = l4 + UdpHeader.LENGTH;
            payloadLength = Math.min(udp.length(), l4Length) - UdpHeader.LENGTH;
        } else {
            return AlgOutcome.PASS;
        }
        boolean holding = protocol == Ipv4Header.PROTOCOL_TCP && reassembly.isHolding(algSlot, direction);
        // A FIN right after held bytes gets them in front, even without payload of its own.
        if (payloadLength <= 0 && !(holding && (tcpFlags & TcpHeader.FIN) != 0)) {
            return AlgOutcome.PASS;
        }
        int algId = algSessions.algId(algSlot);
        Alg alg = algImplementations[algId];
        long parentId = table.parentId(slot);
        algPacket.bind(segment, payloadOffset, payloadLength, protocol, direction, table.id(slot),
                parentId, parentAlgSlot(parentId, nowNanos), algSlot, algId, algPolicies[algId], nowNanos);
        int limit = (int) Math.min(packet.capacity > 0 ? packet.capacity : packet.length,
                segment.byteSize() - packet.offset);
        algPacket.rewriter().bind(algPacket, segment, table.isIpv6(), packet.offset, l4, limit, protocol, algSlot,
                direction);
        int joined = holding ? joinHeldLine(algSlot, direction, payloadLength) : JOIN_INSPECT;
        if (joined == JOIN_DROP) {
            return AlgOutcome.DROP;
        }
        AlgOutcome outcome = AlgOutcome.PASS;
        if (algPacket.payloadLength() > 0) {
            algCounters[AlgEvent.PACKET_INSPECTED.ordinal()]++;
            algStatistics.count(algId, AlgStatistic.INSPECTED);
            // Prepending held bytes also changes the packet; only a replacement by the ALG is a translation.
            long rewrittenBefore = algCounters[AlgEvent.PAYLOAD_REWRITTEN.ordinal()];
            outcome = alg.inspect(algPacket);
            if (algCounters[AlgEvent.PAYLOAD_REWRITTEN.ordinal()] != rewrittenBefore) {
                algStatistics.count(algId, AlgStatistic.TRANSLATED);
            }
        }
        if (algPacket.rewriter().isChanged()) {
            packet.length = algPacket.rewriter().finish();
        }
        return outcome;
    }

    private static final int JOIN_INSPECT = 0;
    private static final int JOIN_DROP = 1;

    /**
     * A TCP segment of a direction that holds the start of an unfinished line ({@link LineReassembly}): puts the
     * held bytes in front of it when it continues them; answers {@link #JOIN_INSPECT} or {@link #JOIN_DROP} (a
     * segment beyond the held bytes, or one without room for them: the sender sends it again). {@code tcp} still
     * holds the sender's sequence number (the shift comes after inspection).
     */
    private int joinHeldLine(int algSlot, int direction, int payloadLength) {
        int sequence = (int) tcp.sequenceNumber();
        int first = reassembly.heldSequence(algSlot, direction);
        if (sequence - first <= 0) {
            if (sequence == first && payloadLength > 0) {
                reassembly.dropAndRefuseAgain(algSlot, direction, AlgEvent.HELD_LINE_RESENT);
            } else if (sequence + payloadLength - first > 0) {
                reassembly.drop(algSlot, direction, AlgEvent.HELD_LINE_RESENT);
            }
            return JOIN_INSPECT;
        }
        int missing = sequence - first;
        if (missing <= reassembly.heldLength(algSlot, direction)) {
            if (algPacket.rewriter().prependHeld(reassembly, missing, first) != RewriteReason.OK) {
                reassembly.dropAndRefuseAgain(algSlot, direction, AlgEvent.HELD_LINE_NO_ROOM);
                algStatistics.count(algSessions.algId(algSlot), AlgStatistic.LIMIT_HITS);
                return JOIN_DROP;
            }
            return JOIN_INSPECT;
        }
        algCounters[AlgEvent.SEGMENT_AFTER_GAP.ordinal()]++;
        return JOIN_DROP;
    }

    /**
     * An acknowledgement (already shifted back into the sender's numbering) past the bytes held for the other
     * direction means another segment carried them to the receiver: the held copy is dropped.
     */
    private void dropHeldLineIfAcknowledged(int algSlot, int heldDirection, int tcpFlags) {
        if ((tcpFlags & TcpHeader.ACK) == 0 || !reassembly.isHolding(algSlot, heldDirection)) {
            return;
        }
        int acknowledged = (int) tcp.acknowledgmentNumber();
        int end = reassembly.heldSequence(algSlot, heldDirection) + reassembly.heldLength(algSlot, heldDirection);
        if (acknowledged - end >= 0) {
            reassembly.drop(algSlot, heldDirection, AlgEvent.HELD_LINE_ACKNOWLEDGED);
        }
    }

    private long routeFor(int slot, int direction, int destination) {
        if (sessions.routeGeneration(slot, direction) == routeGeneration) {
            return sessions.cachedRoute(slot, direction);
        }
        long route = fib.lookup(destination);
        sessions.cacheRoute(slot, direction, routeGeneration, route);
        return route;
    }

    /**
     * Writes the new addresses and ports (ICMP: the echo identifier) where they differ and decrements the TTL,
     * updating the IP and L4 checksums incrementally (RFC 1624). TCP and UDP checksums cover the addresses through
     * the pseudo-header; the IPv4 ICMP checksum does not, nor does the GRE checksum (RFC 2784 §2.5), and GRE has no
     * ports, so a GRE packet changes in its IPv4 header only.
     */
    private void rewrite(int newSource, int newSourcePort, int newDestination, int newDestinationPort) {
        int ipChecksum = ip.checksum();
        if (newSource != sourceAddress) {
            ip.sourceAddress(newSource);
            ipChecksum = Checksums.update32(ipChecksum, sourceAddress, newSource);
        }
        if (newDestination != destinationAddress) {
            ip.destinationAddress(newDestination);
            ipChecksum = Checksums.update32(ipChecksum, destinationAddress, newDestination);
        }
        int oldTtlProtocol = ip.ttlProtocolWord();
        int ttl = ip.ttl() - 1;
        ip.ttl(ttl);
        ip.checksum(Checksums.update16(ipChecksum, oldTtlProtocol, ttl << 8 | protocol));
        if (protocol == Ipv4Header.PROTOCOL_TCP) {
            rewriteTcp(newSource, newSourcePort, newDestination, newDestinationPort);
        } else if (protocol == Ipv4Header.PROTOCOL_UDP) {
            rewriteUdp(newSource, newSourcePort, newDestination, newDestinationPort);
        } else if (protocol == Ipv4Header.PROTOCOL_ICMP) {
            rewriteIcmpEcho(newSourcePort, newDestinationPort);
        }
    }

    private void rewriteTcp(int newSource, int newSourcePort, int newDestination, int newDestinationPort) {
        int checksum = tcp.checksum();
        int before = checksum;
        if (newSource != sourceAddress) {
            checksum = Checksums.update32(checksum, sourceAddress, newSource);
        }
        if (newDestination != destinationAddress) {
            checksum = Checksums.update32(checksum, destinationAddress, newDestination);
        }
        if (newSourcePort != sourcePort) {
            tcp.sourcePort(newSourcePort);
            checksum = Checksums.update16(checksum, sourcePort, newSourcePort);
        }
        if (newDestinationPort != destinationPort) {
            tcp.destinationPort(newDestinationPort);
            checksum = Checksums.update16(checksum, destinationPort, newDestinationPort);
        }
        if (checksum != before) {
            tcp.checksum(checksum);
        }
    }

    private void rewriteUdp(int newSource, int newSourcePort, int newDestination, int newDestinationPort) {
        int checksum = udp.checksum();
        int before = checksum;
        if (newSource != sourceAddress) {
            checksum = Checksums.udpUpdate32(checksum, sourceAddress, newSource);
        }
        if (newDestination != destinationAddress) {
            checksum = Checksums.udpUpdate32(checksum, destinationAddress, newDestination);
        }
        if (newSourcePort != sourcePort) {
            udp.sourcePort(newSourcePort);
            checksum = Checksums.udpUpdate16(checksum, sourcePort, newSourcePort);
        }
        if (newDestinationPort != destinationPort) {
            udp.destinationPort(newDestinationPort);
            checksum = Checksums.udpUpdate16(checksum, destinationPort, newDestinationPort);
        }
        if (checksum != before) {
            udp.checksum(checksum);
        }
    }

    /** RFC 5508 §3.1: the identifier is the request's source "port" and the reply's destination "port". */
    private void rewriteIcmpEcho(int newSourcePort, int newDestinationPort) {
        int oldIdentifier = icmpType == IcmpHeader.TYPE_ECHO_REQUEST ? sourcePort : destinationPort;
        int newIdentifier = icmpType == IcmpHeader.TYPE_ECHO_REQUEST ? newSourcePort : newDestinationPort;
        if (newIdentifier != oldIdentifier) {
            icmp.identifier(newIdentifier);
            icmp.checksum(Checksums.update16(icmp.checksum(), oldIdentifier, newIdentifier));
        }
    }

    /**
     * Forwards an ICMP error (destination unreachable incl. fragmentation needed, time exceeded, parameter problem)
     * about a packet of a session back towards that packet's sender, translated as RFC 5508 §4.2 asks: the embedded
     * packet left algd in one direction of the session, so the error travels in the other, and is found by the
     * embedded packet's reversed key (ports, or the echo identifier). The outer destination (the embedded packet's
     * source) and, when the error comes from the peer itself (destination NAT of a server that answers with an
     * error), the outer source get that direction's translation; the embedded addresses and ports (or identifier)
     * get the translation undone, so the sender recognises its own packet. Every checksum follows incrementally
     * (RFC 1624): the outer IPv4 header, the embedded IPv4 header, the embedded TCP/UDP/ICMP checksum when the quote
     * holds it (a UDP checksum of 0 stays 0), and the ICMP checksum over all changed words, which all sit at even
     * offsets of the ICMP message, so no full recompute is needed even when the quote is truncated. The session's
     * timers are not refreshed by its errors. Errors about no session are dropped.
     */
    private Verdict forwardIcmpError(Packet packet, long nowNanos) {
        MemorySegment segment = ip.segment();
        long icmpOffset = ip.payloadOffset();
        int quoted = ip.totalLength() - ip.headerLength() - IcmpHeader.ERROR_HEADER_LENGTH;
        long embedded = icmpOffset + IcmpHeader.ERROR_HEADER_LENGTH;
        if (quoted < Ipv4Header.MIN_LENGTH) {
            return drop(DropReason.ICMP_ERROR_TRUNCATED);
        }
        embeddedIp.wrap(segment, embedded);
        int embeddedHeaderLength = embeddedIp.headerLength();
        if (embeddedIp.version() != 4 || embeddedHeaderLength < Ipv4Header.MIN_LENGTH) {
            return drop(DropReason.ICMP_ERROR_UNSUPPORTED_EMBEDDED);
        }
        // RFC 792: the quote holds the header and at least the first 64 bits of the original datagram's data.
        int quotedL4 = quoted - embeddedHeaderLength;
        if (quotedL4 < ICMP_ERROR_QUOTED_L4_BYTES) {
            return drop(DropReason.ICMP_ERROR_TRUNCATED);
        }
        if (embeddedIp.fragmentOffset() != 0) {
            return drop(DropReason.ICMP_ERROR_UNSUPPORTED_EMBEDDED);
        }
        int embeddedProtocol = embeddedIp.protocol();
        long embeddedL4 = embedded + embeddedHeaderLength;
        int embeddedSource = embeddedIp.sourceAddress();
        int embeddedDestination = embeddedIp.destinationAddress();
        int embeddedSourcePort;
        int embeddedDestinationPort;
        int embeddedIcmpType = -1;
        if (embeddedProtocol == Ipv4Header.PROTOCOL_TCP || embeddedProtocol == Ipv4Header.PROTOCOL_UDP) {
            embeddedSourcePort = Short.toUnsignedInt(segment.get(U16, embeddedL4));
            embeddedDestinationPort = Short.toUnsignedInt(segment.get(U16, embeddedL4 + 2));
        } else if (embeddedProtocol == Ipv4Header.PROTOCOL_ICMP) {
            embeddedIcmpType = segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, embeddedL4) & 0xff;
            int identifier = Short.toUnsignedInt(segment.get(U16, embeddedL4 + IcmpHeader.IDENTIFIER_OFFSET));
            if (embeddedIcmpType == IcmpHeader.TYPE_ECHO_REQUEST) {
                embeddedSourcePort = identifier;
                embeddedDestinationPort = 0;
            } else if (embeddedIcmpType == IcmpHeader.TYPE_ECHO_REPLY) {
                embeddedSourcePort = 0;
                embeddedDestinationPort = identifier;
            } else {
                return drop(DropReason.ICMP_ERROR_UNSUPPORTED_EMBEDDED);
            }
        } else if (embeddedProtocol == GreHeader.PROTOCOL) {
            // Tunnel path MTU discovery. Only a version 0 session's reply key is its original key reversed; a PPTP
            // session's reply key holds the other end's call id, which the quote does not show, so it is not found.
            embeddedSourcePort = 0;
            embeddedDestinationPort = 0;
        } else {
            return drop(DropReason.ICMP_ERROR_UNSUPPORTED_EMBEDDED);
        }
        // The reply to the embedded packet is what travels the way the error does.
        int found = sessions.find(embeddedProtocol, embeddedDestination, embeddedDestinationPort, embeddedSource,
                embeddedSourcePort, nowNanos);
        if (found == SessionTable.NOT_FOUND) {
            return drop(DropReason.ICMP_ERROR_NO_SESSION);
        }
        if (ip.ttl() <= 1) {
            return drop(DropReason.TTL_EXCEEDED);
        }
        int slot = SessionTable.slotOf(found);
        int direction = SessionTable.directionOf(found);
        int other = Direction.opposite(direction);
        int newSource = sessions.destinationAddress(slot, other);
        int newSourcePort = sessions.destinationPort(slot, other);
        int newDestination = sessions.sourceAddress(slot, other);
        int newDestinationPort = sessions.sourcePort(slot, other);
        long route = routeFor(slot, direction, newDestination);
        if (route == Fib.NO_ROUTE) {
            return drop(DropReason.NO_ROUTE);
        }
        // Outer header: to the sender as it really is; from the peer as the sender knows it.
        int ipChecksum = ip.checksum();
        if (destinationAddress == embeddedSource && newDestination != destinationAddress) {
            ip.destinationAddress(newDestination);
            ipChecksum = Checksums.update32(ipChecksum, destinationAddress, newDestination);
        }
        if (sourceAddress == embeddedDestination && newSource != sourceAddress) {
            ip.sourceAddress(newSource);
            ipChecksum = Checksums.update32(ipChecksum, sourceAddress, newSource);
        }
        int oldTtlProtocol = ip.ttlProtocolWord();
        int ttl = ip.ttl() - 1;
        ip.ttl(ttl);
        ip.checksum(Checksums.update16(ipChecksum, oldTtlProtocol, ttl << 8 | protocol));
        // Embedded packet: back to what the sender sent, as it left the sender.
        int icmpChecksum = icmp.checksum();
        int embeddedChecksum = embeddedIp.checksum();
        int oldEmbeddedChecksum = embeddedChecksum;
        boolean hasL4Checksum;
        long l4ChecksumOffset;
        if (embeddedProtocol == Ipv4Header.PROTOCOL_TCP) {
            l4ChecksumOffset = embeddedL4 + TcpHeader.CHECKSUM_OFFSET;
            hasL4Checksum = quotedL4 >= TcpHeader.CHECKSUM_OFFSET + 2;
        } else if (embeddedProtocol == Ipv4Header.PROTOCOL_UDP) {
            l4ChecksumOffset = embeddedL4 + UdpHeader.CHECKSUM_OFFSET;
            hasL4Checksum = segment.get(U16, l4ChecksumOffset) != 0;
        } else if (embeddedProtocol == Ipv4Header.PROTOCOL_ICMP) {
            l4ChecksumOffset = embeddedL4 + IcmpHeader.CHECKSUM_OFFSET;
            hasL4Checksum = true;
        } else {
            // GRE: its checksum does not cover the addresses (RFC 2784 §2.5), and it has no ports to restore.
            l4ChecksumOffset = embeddedL4;
            hasL4Checksum = false;
        }
        boolean isUdp = embeddedProtocol == Ipv4Header.PROTOCOL_UDP;
        int l4Checksum = hasL4Checksum ? Short.toUnsignedInt(segment.get(U16, l4ChecksumOffset)) : 0;
        int oldL4Checksum = l4Checksum;
        boolean pseudoHeader = embeddedProtocol == Ipv4Header.PROTOCOL_TCP || isUdp;
        if (newDestination != embeddedSource) {
            embeddedIp.sourceAddress(newDestination);
            embeddedChecksum = Checksums.update32(embeddedChecksum, embeddedSource, newDestination);
            icmpChecksum = Checksums.update32(icmpChecksum, embeddedSource, newDestination);
            if (pseudoHeader) {
                l4Checksum = isUdp ? Checksums.udpUpdate32(l4Checksum, embeddedSource, newDestination)
                        : Checksums.update32(l4Checksum, embeddedSource, newDestination);
            }
        }
        if (newSource != embeddedDestination) {
            embeddedIp.destinationAddress(newSource);
            embeddedChecksum = Checksums.update32(embeddedChecksum, embeddedDestination, newSource);
            icmpChecksum = Checksums.update32(icmpChecksum, embeddedDestination, newSource);
            if (pseudoHeader) {
                l4Checksum = isUdp ? Checksums.udpUpdate32(l4Checksum, embeddedDestination, newSource)
                        : Checksums.update32(l4Checksum, embeddedDestination, newSource);
            }
        }
        if (embeddedProtocol == Ipv4Header.PROTOCOL_ICMP) {
            long at = embeddedL4 + IcmpHeader.IDENTIFIER_OFFSET;
            int oldIdentifier = embeddedIcmpType == IcmpHeader.TYPE_ECHO_REQUEST ? embeddedSourcePort
                    : embeddedDestinationPort;
            int newIdentifier = embeddedIcmpType == IcmpHeader.TYPE_ECHO_REQUEST ? newDestinationPort
                    : newSourcePort;
            if (newIdentifier != oldIdentifier) {
                segment.set(U16, at, (short) newIdentifier);
                l4Checksum = Checksums.update16(l4Checksum, oldIdentifier, newIdentifier);
                icmpChecksum = Checksums.update16(icmpChecksum, oldIdentifier, newIdentifier);
            }
        } else if (embeddedProtocol != GreHeader.PROTOCOL) {
            if (newDestinationPort != embeddedSourcePort) {
                segment.set(U16, embeddedL4, (short) newDestinationPort);
                icmpChecksum = Checksums.update16(icmpChecksum, embeddedSourcePort, newDestinationPort);
                l4Checksum = isUdp ? Checksums.udpUpdate16(l4Checksum, embeddedSourcePort, newDestinationPort)
                        : Checksums.update16(l4Checksum, embeddedSourcePort, newDestinationPort);
            }
            if (newSourcePort != embeddedDestinationPort) {
                segment.set(U16, embeddedL4 + 2, (short) newSourcePort);
                icmpChecksum = Checksums.update16(icmpChecksum, embeddedDestinationPort, newSourcePort);
                l4Checksum = isUdp ? Checksums.udpUpdate16(l4Checksum, embeddedDestinationPort, newSourcePort)
                        : Checksums.update16(l4Checksum, embeddedDestinationPort, newSourcePort);
            }
        }
        if (hasL4Checksum && l4Checksum != oldL4Checksum) {
            segment.set(U16, l4ChecksumOffset, (short) l4Checksum);
            icmpChecksum = Checksums.update16(icmpChecksum, oldL4Checksum, l4Checksum);
        }
        if (embeddedChecksum != oldEmbeddedChecksum) {
            embeddedIp.checksum(embeddedChecksum);
            icmpChecksum = Checksums.update16(icmpChecksum, oldEmbeddedChecksum, embeddedChecksum);
        }
        icmp.checksum(icmpChecksum);
        packet.egressInterface = Fib.egressInterface(route);
        packet.nextHop = Fib.nextHop(route);
        icmpErrorsTranslated++;
        packetsForwarded++;
        return Verdict.FORWARD;
    }

    /**
     * A packet whose TTL runs out here (RFC 791, RFC 1812 §5.3.1) gets the ICMP time-exceeded error (type 11,
     * code 0) through {@link #sendIcmpError}, within the ICMP error token bucket; not sent, it counts as a
     * TTL_EXCEEDED drop.
     */
    private Verdict sendTimeExceeded(Packet packet, long nowNanos) {
        if (!isIcmpErrorDestination(packet) || !takeIcmpErrorToken(nowNanos)
                || !sendIcmpError(packet, IcmpHeader.TYPE_TIME_EXCEEDED, 0, 0)) {
            return drop(DropReason.TTL_EXCEEDED);
        }
        timeExceededSent++;
        packetsForwarded++;
        return Verdict.FORWARD;
    }

    /**
     * A packet longer than its egress interface's MTU (a GSO packet: whose segments are), before any rewrite of it.
     * With DF set (every TCP segment of a Linux or Windows sender: RFC 1191 path MTU discovery) its sender gets
     * destination unreachable, code 4, with the MTU in the low 16 bits of the second word; not sent, it counts as a
     * FRAGMENTATION_NEEDED drop. Like Linux
     * ({@code icmpv4_mask_allow}), these errors skip the token bucket: path MTU discovery stalls without them, and
     * there is at most one per oversized packet, so they amplify nothing. Without DF the packet would have to be
     * fragmented, which algd does not do (and its own reassembly-free NAT could not translate the fragments after
     * the first): it is dropped as EXCEEDS_MTU.
     */
    private Verdict tooBigForEgress(Packet packet, int mtu) {
        if (!ip.isDontFragment()) {
            return drop(DropReason.EXCEEDS_MTU);
        }
        if (!isIcmpErrorDestination(packet)
                || !sendIcmpError(packet, IcmpHeader.TYPE_DESTINATION_UNREACHABLE, CODE_FRAGMENTATION_NEEDED, mtu)) {
            return drop(DropReason.FRAGMENTATION_NEEDED);
        }
        fragmentationNeededSent++;
        packetsForwarded++;
        return Verdict.FORWARD;
    }

    /**
     * Whether an ICMP error about the current packet may be sent: the ingress interface has an address to send it
     * from, and the packet's source is a host (not 0/8, 127/8, multicast or broadcast; RFC 1812 §4.3.2.7).
     */
    private boolean isIcmpErrorDestination(Packet packet) {
        int firstOctet = sourceAddress >>> 24;
        return interfaceAddresses[packet.ingressInterface] != 0 && firstOctet != 0 && firstOctet != 127
                && firstOctet < 224;
    }

    /**
     * Turns {@code packet}, in place, into the ICMP error {@code type}/{@code code} that tells its sender: from the
     * ingress interface's first address, to the packet's source, with {@code word} as the header's second 32-bit
     * word, quoting the packet as it arrived, as much of it as fits in {@link #ICMP_ERROR_MAX_LENGTH} bytes and the
     * packet's buffer but at least its header and 8 bytes (RFC 792), sent back out of the ingress interface. False,
     * with the packet untouched, when the buffer cannot hold that much.
     */
    private boolean sendIcmpError(Packet packet, int type, int code, int word) {
        int ingress = packet.ingressInterface;
        int from = interfaceAddresses[ingress];
        int to = sourceAddress;
        int headerLength = ip.headerLength();
        int limit = (int) Math.min(packet.capacity > packet.length ? packet.capacity : packet.length,
                packet.segment.byteSize() - packet.offset);
        int quote = Math.min(ip.totalLength(),
                Math.min(ICMP_ERROR_MAX_LENGTH, limit) - Ipv4Header.MIN_LENGTH - IcmpHeader.ERROR_HEADER_LENGTH);
        if (quote < headerLength + ICMP_ERROR_QUOTED_L4_BYTES) {
            return false;
        }
        MemorySegment segment = packet.segment;
        long start = packet.offset;
        int icmpStart = Ipv4Header.MIN_LENGTH;
        MemorySegment.copy(segment, start, segment, start + icmpStart + IcmpHeader.ERROR_HEADER_LENGTH, quote);
        int length = icmpStart + IcmpHeader.ERROR_HEADER_LENGTH + quote;
        segment.set(java.lang.foreign.ValueLayout.JAVA_BYTE, start, (byte) 0x45);
        segment.set(java.lang.foreign.ValueLayout.JAVA_BYTE, start + 1, (byte) 0);
        segment.set(U16, start + Ipv4Header.IDENTIFICATION_OFFSET, (short) 0);
        segment.set(U16, start + Ipv4Header.FLAGS_FRAGMENT_OFFSET, (short) 0);
        ip.wrap(segment, start);
        ip.totalLength(length);
        ip.ttl(LOCAL_REPLY_TTL);
        segment.set(java.lang.foreign.ValueLayout.JAVA_BYTE, start + Ipv4Header.PROTOCOL_OFFSET,
                (byte) Ipv4Header.PROTOCOL_ICMP);
        ip.sourceAddress(from);
        ip.destinationAddress(to);
        ip.checksum(0);
        ip.checksum(Checksums.internetChecksum(segment, start, Ipv4Header.MIN_LENGTH));
        long icmpOffset = start + icmpStart;
        segment.set(U16, icmpOffset, (short) (type << 8 | code));
        segment.set(U32, icmpOffset + 4, word);
        segment.set(U16, icmpOffset + IcmpHeader.CHECKSUM_OFFSET, (short) 0);
        segment.set(U16, icmpOffset + IcmpHeader.CHECKSUM_OFFSET,
                (short) Checksums.internetChecksum(segment, icmpOffset, length - icmpStart));
        packet.length = length;
        long back = fib.lookup(to);
        packet.egressInterface = ingress;
        packet.nextHop = back != Fib.NO_ROUTE && Fib.egressInterface(back) == ingress ? Fib.nextHop(back) : to;
        return true;
    }

    /** One token of the ICMP error bucket (shared by ICMP and ICMPv6 errors), if there is one. */
    boolean takeIcmpErrorToken(long nowNanos) {
        long max = ICMP_ERROR_BURST * ICMP_ERROR_INTERVAL_NANOS;
        if (icmpErrorBucketStarted) {
            long elapsed = nowNanos - icmpErrorRefilledAtNanos;
            if (elapsed > 0) {
                icmpErrorCreditNanos = Math.min(max, icmpErrorCreditNanos + Math.min(elapsed, max));
            }
        }
        icmpErrorBucketStarted = true;
        icmpErrorRefilledAtNanos = nowNanos;
        if (icmpErrorCreditNanos < ICMP_ERROR_INTERVAL_NANOS) {
            return false;
        }
        icmpErrorCreditNanos -= ICMP_ERROR_INTERVAL_NANOS;
        return true;
    }

    /**
     * A packet for one of algd's own addresses that matched no session: an echo request is turned into its reply
     * in place (RFC 792: swap the addresses, type 0, same identifier, sequence and data) and sent back out of the
     * interface it came in on; anything else is dropped.
     */
    private Verdict answerLocally(Packet packet) {
        if (protocol != Ipv4Header.PROTOCOL_ICMP || icmpType != IcmpHeader.TYPE_ECHO_REQUEST) {
            return drop(DropReason.LOCAL_DESTINATION);
        }
        // Swapping the two addresses leaves the header's one's complement sum unchanged.
        ip.sourceAddress(destinationAddress);
        ip.destinationAddress(sourceAddress);
        int oldTtlProtocol = ip.ttlProtocolWord();
        ip.ttl(LOCAL_REPLY_TTL);
        ip.checksum(Checksums.update16(ip.checksum(), oldTtlProtocol, LOCAL_REPLY_TTL << 8 | protocol));
        int oldTypeCode = icmp.typeCodeWord();
        icmp.type(IcmpHeader.TYPE_ECHO_REPLY);
        icmp.checksum(Checksums.update16(icmp.checksum(), oldTypeCode, icmp.typeCodeWord()));
        int ingress = packet.ingressInterface;
        long back = fib.lookup(sourceAddress);
        packet.egressInterface = ingress;
        // A requester behind a gateway on the ingress interface is reached through that gateway.
        packet.nextHop = back != Fib.NO_ROUTE && Fib.egressInterface(back) == ingress ? Fib.nextHop(back) : sourceAddress;
        echoRepliesSent++;
        packetsForwarded++;
        return Verdict.FORWARD;
    }

    private SessionView view(int slot, long nowNanos) {
        return view(sessions, slot, nowNanos);
    }

    /** The view of a session of either table; an IPv6 one carries its addresses in {@link SessionView#ipv6()}. */
    private SessionView view(SessionTable sessions, int slot, long nowNanos) {
        int original = Direction.ORIGINAL;
        int reply = Direction.REPLY;
        boolean isIpv6 = sessions.isIpv6();
        int source = isIpv6 ? 0 : sessions.sourceAddress(slot, original);
        int port = sessions.sourcePort(slot, original);
        int destination = isIpv6 ? 0 : sessions.destinationAddress(slot, original);
        int destinationPort = sessions.destinationPort(slot, original);
        int translatedAddress = isIpv6 ? 0 : sessions.destinationAddress(slot, reply);
        // A GRE reply key's port is the peer's PPTP call id, no translation of the original's (GRE has no ports).
        boolean isGre = sessions.protocol(slot) == GreHeader.PROTOCOL;
        int translatedPort = isGre ? port : sessions.destinationPort(slot, reply);
        int translatedDestination = isIpv6 ? 0 : sessions.sourceAddress(slot, reply);
        int translatedDestinationPort = isGre ? destinationPort : sessions.sourcePort(slot, reply);
        SessionView.Ipv6Tuple ipv6Addresses = null;
        boolean sourceTranslated = translatedAddress != source || translatedPort != port;
        boolean destinationTranslated = translatedDestination != destination
                || translatedDestinationPort != destinationPort;
        if (isIpv6) {
            ipv6Addresses = new SessionView.Ipv6Tuple(
                    new Ipv6Address(sessions.sourceHigh(slot, original), sessions.sourceLow(slot, original)),
                    new Ipv6Address(sessions.destinationHigh(slot, original), sessions.destinationLow(slot, original)),
                    new Ipv6Address(sessions.destinationHigh(slot, reply), sessions.destinationLow(slot, reply)),
                    new Ipv6Address(sessions.sourceHigh(slot, reply), sessions.sourceLow(slot, reply)));
            sourceTranslated |= !ipv6Addresses.translatedSource().equals(ipv6Addresses.source());
            destinationTranslated |= !ipv6Addresses.translatedDestination().equals(ipv6Addresses.destination());
        }
        Set<String> features = new HashSet<>(4);
        if (sourceTranslated) {
            features.add(FEATURE_SNAT);
        }
        if (destinationTranslated) {
            features.add(FEATURE_DNAT);
        }
        if ((sessions.flags(slot) & FLAG_FIREWALL) != 0) {
            features.add(FEATURE_FIREWALL);
        }
        int algId = sessions.algId(slot);
        if (algId >= 0) {
            features.add(FEATURE_ALG);
        }
        long leftNanos = Math.max(0, sessions.expiresAtNanos(slot) - nowNanos);
        long timeoutSeconds = (leftNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
        return new SessionView(sessions.id(slot), sessions.protocol(slot), source, port,
                destination, destinationPort, translatedAddress, translatedPort, sessions.state(slot).name(),
                timeoutSeconds, sessions.interfaceName(slot), sessions.parentId(slot), algId >= 0 ? ALG_IDS[algId] : null,
                features,
                sessions.packets(slot, original), sessions.bytes(slot, original),
                sessions.packets(slot, reply), sessions.bytes(slot, reply),
                translatedDestination, translatedDestinationPort, ipv6Addresses);
    }
}
