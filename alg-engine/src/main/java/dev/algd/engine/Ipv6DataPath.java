package dev.algd.engine;

import dev.algd.engine.alg.AlgEndpoint;
import dev.algd.engine.alg.ExpectationTable;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.firewall.FirewallPolicy;
import dev.algd.engine.nat.DestinationNatPolicy;
import dev.algd.engine.nat.PortAllocator;
import dev.algd.engine.nat.SourceNatPolicy;
import dev.algd.engine.packet.Checksums;
import dev.algd.engine.packet.GreHeader;
import dev.algd.engine.packet.IcmpHeader;
import dev.algd.engine.packet.Ipv6Header;
import dev.algd.engine.packet.Ipv6Reason;
import dev.algd.engine.packet.TcpHeader;
import dev.algd.engine.packet.UdpHeader;
import dev.algd.engine.route.Fib6;
import dev.algd.engine.session.Direction;
import dev.algd.engine.session.SessionTable;
import dev.algd.engine.session.Timeouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The IPv6 half of {@link Engine}'s data path: forwarding with stateful NAPT66 (the source NAT rules that apply to
 * IPv6), destination NAT66 (the destination rules that apply to IPv6) and the stateful firewall for TCP, UDP,
 * ICMPv6 echo and GRE (after any extension headers; sessions, translation and PPTP call ids as over IPv4, through
 * {@link GreSessions}), ICMPv6 errors translated back across NAT, echo replies for algd's own addresses and ICMPv6
 * time-exceeded when the hop limit runs out. It keeps its own session table with IPv6 keys (two {@code long}s per
 * address), so the IPv4 path is untouched by it; ids of its sessions carry {@link SessionTable#IPV6_ID_BIT}.
 * Single-threaded and allocation-free per packet, like the engine.
 * <p>
 * ALGs run over IPv6 through the engine's one ALG code path: a new flow is looked up in the engine's expectation
 * table first ({@link Engine#expectations()}, IPv6 entries), a created session is given its ALG or its parent there
 * ({@link Engine#sessionCreated}), and packets of ALG sessions go through {@link Engine#passesAlg}; only ALGs that
 * {@link dev.algd.engine.alg.Alg#supportsIpv6() support IPv6} are assigned IPv6 sessions.
 * <p>
 * Not yet over IPv6: fragments (all refused, as over IPv4; atomic fragments pass, RFC 6946).
 */
final class Ipv6DataPath {
    /** RFC 4443 §2.4 (c): an ICMPv6 error must not exceed the minimum IPv6 MTU. */
    static final int ICMPV6_ERROR_MAX_LENGTH = 1280;
    private static final int ICMPV6_ERROR_HEADER_LENGTH = 8;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final DropReason[] DROP_BY_REASON = new DropReason[Ipv6Reason.values().length];

    static {
        DROP_BY_REASON[Ipv6Reason.TRUNCATED.ordinal()] = DropReason.TRUNCATED;
        DROP_BY_REASON[Ipv6Reason.NOT_VERSION_6.ordinal()] = DropReason.NOT_IPV4;
        DROP_BY_REASON[Ipv6Reason.BAD_PAYLOAD_LENGTH.ordinal()] = DropReason.BAD_TOTAL_LENGTH;
        DROP_BY_REASON[Ipv6Reason.BAD_EXTENSION_HEADER_CHAIN.ordinal()] = DropReason.IPV6_BAD_EXTENSION_HEADERS;
        DROP_BY_REASON[Ipv6Reason.FRAGMENT.ordinal()] = DropReason.FRAGMENT;
        DROP_BY_REASON[Ipv6Reason.ROUTING_HEADER_SEGMENTS_LEFT.ordinal()] = DropReason.IPV6_ROUTING_HEADER;
    }

    private final Engine engine;
    private final long[] drops;
    private final SessionTable sessions;
    private final PortAllocator portAllocator;
    private final Ipv6Header ip = new Ipv6Header();
    private final Ipv6Header embeddedIp = new Ipv6Header();
    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();
    private final IcmpHeader icmp = new IcmpHeader();
    private final GreHeader gre = new GreHeader();
    /** A new child flow's source or destination as its expectation translates it ({@link ExpectationTable}). */
    private final AlgEndpoint childEndpoint = new AlgEndpoint();

    private Fib6 fib;
    private SourceNatPolicy sourceNat;
    private DestinationNatPolicy destinationNat;
    private FirewallPolicy firewall;
    private String[] interfaceNames;
    private int routeGeneration;
    private long packetsForwarded;
    private long echoRepliesSent;
    private long timeExceededSent;
    private long packetTooBigSent;
    private long icmpErrorsTranslated;

    // The packet being processed, read once by readFlowKey().
    private int protocol;
    private long sourceHigh;
    private long sourceLow;
    private long destinationHigh;
    private long destinationLow;
    private int sourcePort;
    private int destinationPort;
    private int tcpFlags;
    private int icmpType;
    private boolean isIcmpError;
    private long l4;
    private int l4Length;
    private int createdSlot;
    // A new flow's destination after destination NAT (the packet's own when no rule translates it).
    private boolean translatesDestination;
    private long newFlowDestinationHigh;
    private long newFlowDestinationLow;
    private int newFlowDestinationPort;
    // How the packet leaves, set by readTranslation().
    private long newSourceHigh;
    private long newSourceLow;
    private int newSourcePort;
    private long newDestinationHigh;
    private long newDestinationLow;
    private int newDestinationPort;

    /** {@code drops}: the engine's drop counters, shared so that each reason counts both families. */
    Ipv6DataPath(Engine engine, long[] drops, int maxSessions, Timeouts timeouts) {
        this.engine = engine;
        this.drops = drops;
        sessions = SessionTable.forIpv6(maxSessions, timeouts);
        portAllocator = new PortAllocator(sessions);
    }

    void apply(EngineConfig config, FirewallPolicy firewall, String[] interfaceNames) {
        Fib6 newFib = Fib6.build(config);
        SourceNatPolicy newSourceNat = SourceNatPolicy.compile6(config);
        DestinationNatPolicy newDestinationNat = DestinationNatPolicy.compile6(config);
        this.fib = newFib;
        this.sourceNat = newSourceNat;
        this.destinationNat = newDestinationNat;
        this.firewall = firewall;
        this.interfaceNames = interfaceNames;
        routeGeneration = routeGeneration == Integer.MAX_VALUE ? 1 : routeGeneration + 1;
    }

    SessionTable sessions() {
        return sessions;
    }

    long packetsForwarded() {
        return packetsForwarded;
    }

    long echoRepliesSent() {
        return echoRepliesSent;
    }

    long timeExceededSent() {
        return timeExceededSent;
    }

    long packetTooBigSent() {
        return packetTooBigSent;
    }

    long icmpErrorsTranslated() {
        return icmpErrorsTranslated;
    }

    /** {@link Engine#process} for a packet whose version field is 6; {@code available} bytes are readable. */
    Verdict process(Packet packet, long available, long nowNanos) {
        MemorySegment segment = packet.segment;
        ip.wrap(segment, packet.offset);
        Ipv6Reason reason = ip.validate(available);
        if (reason != Ipv6Reason.OK) {
            return drop(DROP_BY_REASON[reason.ordinal()]);
        }
        int ingress = packet.ingressInterface;
        if (ingress < 0 || ingress >= interfaceNames.length) {
            return drop(DropReason.UNKNOWN_INGRESS_INTERFACE);
        }
        DropReason malformed = readFlowKey();
        if (malformed != null) {
            return drop(malformed);
        }
        if (!isForwardable(sourceHigh, sourceLow) || !isForwardable(destinationHigh, destinationLow)
                || sourceHigh >>> 56 == 0xff || destinationHigh >>> 56 == 0xff) {
            return drop(DropReason.IPV6_NOT_FORWARDABLE);
        }
        if (isIcmpError) {
            return forwardIcmpError(packet, nowNanos);
        }
        int found = sessions.find6(protocol, sourceHigh, sourceLow, sourcePort, destinationHigh, destinationLow,
                destinationPort, nowNanos);
        if (found == SessionTable.NOT_FOUND && protocol == GreHeader.PROTOCOL && destinationPort != 0) {
            found = GreSessions.learnCallId(sessions, sessions.find6(protocol, sourceHigh, sourceLow, 0,
                    destinationHigh, destinationLow, 0, nowNanos), destinationPort, nowNanos);
        }
        int expectation = ExpectationTable.NONE;
        if (found == SessionTable.NOT_FOUND) {
            expectation = engine.expectations().find(protocol, true, sourceHigh, sourceLow, sourcePort,
                    destinationHigh, destinationLow, destinationPort, nowNanos);
            if (expectation != ExpectationTable.NONE) {
                matchExpectation(expectation);
            } else {
                matchDestinationNat(ingress);
                if (!translatesDestination && fib.isLocalAddress(destinationHigh, destinationLow)) {
                    return answerLocally(packet);
                }
            }
        }
        if (ip.hopLimit() <= 1) {
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
        long route = readTranslation(slot, direction);
        if (route == Fib6.NO_ROUTE) {
            return drop(DropReason.NO_ROUTE);
        }
        int egressMtu = engine.interfaceMtu(Fib6.egressInterface(route));
        if (egressMtu != 0 && ip.totalLength() > egressMtu) {
            return packetTooBig(packet, egressMtu);
        }
        rewrite();
        int algSlot = sessions.algSlot(slot);
        if (algSlot != SessionTable.NO_ALG_SLOT && !engine.passesAlg(packet, sessions, slot, direction, algSlot, l4,
                l4Length, protocol, tcpFlags, nowNanos)) {
            return drop(DropReason.ALG);
        }
        sessions.track(slot, direction, tcpFlags, ip.totalLength(), nowNanos);
        setNextHop(packet, route, newDestinationHigh, newDestinationLow);
        packetsForwarded++;
        return Verdict.FORWARD;
    }

    /**
     * RFC 4291: link-local (fe80::/10) addresses never leave their link (§2.5.6); loopback (::1) and unspecified
     * (::) are never forwarded (§2.5.2, §2.5.3).
     */
    private static boolean isForwardable(long high, long low) {
        return high >>> 54 != 0x3fa && !(high == 0 && (low == 0 || low == 1));
    }

    private Verdict drop(DropReason reason) {
        drops[reason.ordinal()]++;
        return Verdict.DROP;
    }

    private void setNextHop(Packet packet, long route, long destinationHigh, long destinationLow) {
        packet.egressInterface = Fib6.egressInterface(route);
        int gateway = Fib6.gatewayIndex(route);
        packet.nextHopHigh = gateway == Fib6.ON_LINK ? destinationHigh : fib.gatewayHigh(gateway);
        packet.nextHopLow = gateway == Fib6.ON_LINK ? destinationLow : fib.gatewayLow(gateway);
    }

    /**
     * Reads protocol, addresses, ports (or echo identifier, or PPTP call id: {@link GreSessions}) and TCP flags;
     * null if the L4 header is usable.
     */
    private DropReason readFlowKey() {
        protocol = ip.protocol();
        sourceHigh = ip.sourceHigh();
        sourceLow = ip.sourceLow();
        destinationHigh = ip.destinationHigh();
        destinationLow = ip.destinationLow();
        tcpFlags = 0;
        isIcmpError = false;
        l4 = ip.payloadOffset();
        l4Length = ip.upperLayerLength();
        MemorySegment segment = ip.segment();
        if (protocol == Ipv6Header.NEXT_HEADER_TCP) {
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
        if (protocol == Ipv6Header.NEXT_HEADER_UDP) {
            if (l4Length < UdpHeader.LENGTH) {
                return DropReason.TRUNCATED_L4_HEADER;
            }
            udp.wrap(segment, l4);
            if (udp.checksum() == 0) {
                return DropReason.IPV6_UDP_ZERO_CHECKSUM;
            }
            sourcePort = udp.sourcePort();
            destinationPort = udp.destinationPort();
            return null;
        }
        if (protocol == Ipv6Header.PROTOCOL_ICMPV6) {
            if (l4Length < IcmpHeader.ECHO_LENGTH) {
                return DropReason.TRUNCATED_L4_HEADER;
            }
            icmp.wrap(segment, l4);
            icmpType = icmp.type();
            if (icmpType == IcmpHeader.V6_TYPE_ECHO_REQUEST) {
                sourcePort = icmp.identifier();
                destinationPort = 0;
                return null;
            }
            if (icmpType == IcmpHeader.V6_TYPE_ECHO_REPLY) {
                sourcePort = 0;
                destinationPort = icmp.identifier();
                return null;
            }
            if (icmpType >= IcmpHeader.V6_TYPE_DESTINATION_UNREACHABLE
                    && icmpType <= IcmpHeader.V6_TYPE_PARAMETER_PROBLEM) {
                isIcmpError = true;
                return null;
            }
            // Neighbour discovery and MLD are link-local and answered by packet-io; nothing else is forwarded.
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

    /**
     * Destination NAT66 of a packet that matched no session, on its ingress interface, before anything else looks
     * at its destination (a port forward to algd's own address is not a local packet), as over IPv4.
     */
    private void matchDestinationNat(int ingress) {
        boolean hasPorts = Engine.hasPorts(protocol);
        int rule = destinationNat.match6(ingress, protocol, sourceHigh, sourceLow, sourcePort, destinationHigh,
                destinationLow, destinationPort, hasPorts);
        translatesDestination = rule != DestinationNatPolicy.NO_MATCH && !destinationNat.isExclude(rule);
        newFlowDestinationHigh = translatesDestination ? destinationNat.translationAddressHigh(rule) : destinationHigh;
        newFlowDestinationLow = translatesDestination ? destinationNat.translationAddressLow(rule) : destinationLow;
        newFlowDestinationPort = translatesDestination
                ? destinationNat.translatedPort(rule, destinationPort, hasPorts) : destinationPort;
    }

    /** A new flow that matched an expectation goes where the expectation's translation says. */
    private void matchExpectation(int expectation) {
        ExpectationTable expectations = engine.expectations();
        translatesDestination = expectations.childDestination(expectation, destinationHigh, destinationLow,
                destinationPort, childEndpoint);
        newFlowDestinationHigh = childEndpoint.high();
        newFlowDestinationLow = childEndpoint.low();
        newFlowDestinationPort = childEndpoint.port();
    }

    /**
     * Creates the session of a packet that matched none, towards its destination after destination NAT (or the
     * {@code expectation} it matched, {@link ExpectationTable#NONE} when none): the
     * inbound firewall of the ingress interface, routing,
     * the outbound firewall of the egress interface, then the first IPv6 source NAT rule (NAPT66: the translation
     * address, a port from the rule's range or the original port where free), in the engine's IPv4 order. A child
     * of an expectation is RELATED for the firewalls and takes the source translation its expectation names.
     */
    private DropReason createSession(int ingress, int expectation, long nowNanos) {
        if (protocol == Ipv6Header.PROTOCOL_ICMPV6 && icmpType == IcmpHeader.V6_TYPE_ECHO_REPLY) {
            return DropReason.UNSOLICITED_ECHO_REPLY;
        }
        boolean isChild = expectation != ExpectationTable.NONE;
        ExpectationTable expectations = engine.expectations();
        long toHigh = newFlowDestinationHigh;
        long toLow = newFlowDestinationLow;
        int toPort = newFlowDestinationPort;
        if (!isChild && !translatesDestination && sourceNat.isTranslationAddress6(toHigh, toLow)) {
            return DropReason.NO_SESSION_FOR_TRANSLATION_ADDRESS;
        }
        if (translatesDestination && fib.isLocalAddress(toHigh, toLow)) {
            return DropReason.LOCAL_DESTINATION;
        }
        boolean hasPorts = Engine.hasPorts(protocol);
        // A child flow is RELATED to its parent, as over IPv4.
        int state = isChild ? FirewallPolicy.STATE_RELATED : FirewallPolicy.STATE_NEW;
        int inboundRules = firewall.inboundRuleSet(ingress);
        if (!firewall.isAccepted6(inboundRules, state, protocol, sourceHigh, sourceLow, sourcePort,
                toHigh, toLow, toPort, hasPorts)) {
            return DropReason.FIREWALL_INBOUND;
        }
        long route = fib.lookup(toHigh, toLow);
        if (route == Fib6.NO_ROUTE) {
            return DropReason.NO_ROUTE;
        }
        int egress = Fib6.egressInterface(route);
        int outboundRules = firewall.outboundRuleSet(egress);
        if (!firewall.isAccepted6(outboundRules, state, protocol, sourceHigh, sourceLow,
                sourcePort, toHigh, toLow, toPort, hasPorts)) {
            return DropReason.FIREWALL_OUTBOUND;
        }
        long translatedHigh = sourceHigh;
        long translatedLow = sourceLow;
        int translatedPort = sourcePort;
        boolean childTranslatesSource = isChild && expectations.childSource(expectation, sourceHigh, sourceLow,
                sourcePort, childEndpoint);
        int rule = childTranslatesSource ? SourceNatPolicy.NO_MATCH : sourceNat.match6(egress, protocol, sourceHigh,
                sourceLow, sourcePort, toHigh, toLow, toPort, hasPorts);
        if (childTranslatesSource) {
            translatedHigh = childEndpoint.high();
            translatedLow = childEndpoint.low();
            translatedPort = childEndpoint.port();
        } else if (rule != SourceNatPolicy.NO_MATCH && !sourceNat.isExclude(rule)) {
            if (!sourceNat.hasTranslationAddress(rule)) {
                return DropReason.NO_TRANSLATION_ADDRESS;
            }
            translatedHigh = sourceNat.translationAddressHigh(rule);
            translatedLow = sourceNat.translationAddressLow(rule);
            // GRE has no port to allocate: only its address is translated (GreSessions).
            if (protocol != GreHeader.PROTOCOL) {
                translatedPort = portAllocator.allocate6(protocol, sourceHigh, sourceLow, sourcePort, translatedHigh,
                        translatedLow, toHigh, toLow, toPort, sourceNat.translationPortFirst(rule),
                        sourceNat.translationPortLast(rule),
                        sourceNat.keepsAnyOriginalPort(rule), nowNanos);
                if (translatedPort == PortAllocator.NO_FREE_PORT) {
                    return DropReason.NO_FREE_PORT;
                }
            }
        }
        int slot = sessions.create6(protocol,
                sourceHigh, sourceLow, sourcePort, destinationHigh, destinationLow, destinationPort,
                toHigh, toLow, GreSessions.replySourcePort(protocol, toPort), translatedHigh, translatedLow,
                translatedPort,
                tcpFlags, interfaceNames[ingress], isChild ? expectations.parentSessionId(expectation) : 0, nowNanos);
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
            sessions.addFlags(slot, Engine.FLAG_FIREWALL);
        }
        engine.sessionCreated(sessions, slot, expectation, protocol, toPort,
                Engine.natPortRange(sourceNat, rule));
        createdSlot = slot;
        return null;
    }

    /**
     * Reads how a packet of the session in {@code slot} travelling in {@code direction} leaves: as the mirror image
     * of the other direction's key, into the {@code new...} fields. Returns its route, or {@link Fib6#NO_ROUTE}.
     */
    private long readTranslation(int slot, int direction) {
        int other = Direction.opposite(direction);
        newSourceHigh = sessions.destinationHigh(slot, other);
        newSourceLow = sessions.destinationLow(slot, other);
        newSourcePort = sessions.destinationPort(slot, other);
        newDestinationHigh = sessions.sourceHigh(slot, other);
        newDestinationLow = sessions.sourceLow(slot, other);
        newDestinationPort = sessions.sourcePort(slot, other);
        return routeFor(slot, direction, newDestinationHigh, newDestinationLow);
    }

    private long routeFor(int slot, int direction, long destinationHigh, long destinationLow) {
        if (sessions.routeGeneration(slot, direction) == routeGeneration) {
            return sessions.cachedRoute(slot, direction);
        }
        long route = fib.lookup(destinationHigh, destinationLow);
        sessions.cacheRoute(slot, direction, routeGeneration, route);
        return route;
    }

    /**
     * Writes the {@code new...} addresses and ports (ICMPv6: the echo identifier) where they differ and decrements
     * the hop limit. IPv6 has no header checksum; TCP, UDP and ICMPv6 checksums all cover the addresses through the
     * pseudo-header (RFC 8200 §8.1) and are updated incrementally (RFC 1624). GRE has no ports and its checksum no
     * pseudo-header (RFC 2784 §2.5), so a GRE packet changes in its IPv6 header only.
     */
    private void rewrite() {
        ip.hopLimit(ip.hopLimit() - 1);
        boolean sourceChanged = newSourceHigh != sourceHigh || newSourceLow != sourceLow;
        boolean destinationChanged = newDestinationHigh != destinationHigh || newDestinationLow != destinationLow;
        if (sourceChanged) {
            ip.source(newSourceHigh, newSourceLow);
        }
        if (destinationChanged) {
            ip.destination(newDestinationHigh, newDestinationLow);
        }
        if (protocol == GreHeader.PROTOCOL || !sourceChanged && !destinationChanged && newSourcePort == sourcePort
                && newDestinationPort == destinationPort) {
            return;
        }
        long checksumOffset = l4 + checksumOffset(protocol);
        MemorySegment segment = ip.segment();
        int checksum = Short.toUnsignedInt(segment.get(U16, checksumOffset));
        if (sourceChanged) {
            checksum = Checksums.update128(checksum, sourceHigh, sourceLow, newSourceHigh, newSourceLow);
        }
        if (destinationChanged) {
            checksum = Checksums.update128(checksum, destinationHigh, destinationLow, newDestinationHigh,
                    newDestinationLow);
        }
        if (protocol == Ipv6Header.PROTOCOL_ICMPV6) {
            // RFC 5508 §3.1 as for ICMP: the identifier is the request's source "port", the reply's destination one.
            int oldIdentifier = icmpType == IcmpHeader.V6_TYPE_ECHO_REQUEST ? sourcePort : destinationPort;
            int newIdentifier = icmpType == IcmpHeader.V6_TYPE_ECHO_REQUEST ? newSourcePort : newDestinationPort;
            if (newIdentifier != oldIdentifier) {
                icmp.identifier(newIdentifier);
                checksum = Checksums.update16(checksum, oldIdentifier, newIdentifier);
            }
        } else {
            if (newSourcePort != sourcePort) {
                segment.set(U16, l4 + TcpHeader.SOURCE_PORT_OFFSET, (short) newSourcePort);
                checksum = Checksums.update16(checksum, sourcePort, newSourcePort);
            }
            if (newDestinationPort != destinationPort) {
                segment.set(U16, l4 + TcpHeader.DESTINATION_PORT_OFFSET, (short) newDestinationPort);
                checksum = Checksums.update16(checksum, destinationPort, newDestinationPort);
            }
        }
        // RFC 768 via RFC 8200 §8.1: a UDP checksum that computes to zero is sent as 0xFFFF.
        if (checksum == 0 && protocol == Ipv6Header.NEXT_HEADER_UDP) {
            checksum = 0xffff;
        }
        segment.set(U16, checksumOffset, (short) checksum);
    }

    /** Where the checksum field of a TCP, UDP or ICMPv6 header is. */
    private static int checksumOffset(int protocol) {
        if (protocol == Ipv6Header.NEXT_HEADER_TCP) {
            return TcpHeader.CHECKSUM_OFFSET;
        }
        return protocol == Ipv6Header.NEXT_HEADER_UDP ? UdpHeader.CHECKSUM_OFFSET : IcmpHeader.CHECKSUM_OFFSET;
    }

    /**
     * Forwards an ICMPv6 error (destination unreachable, packet too big, time exceeded, parameter problem) about a
     * packet of a session back towards that packet's sender, translated as {@link Engine} does for ICMP (RFC 5508
     * §4.2 carried over to NAT66): found by the embedded packet's reversed key; the outer destination and, when
     * the error comes from the peer itself, the outer source get the reply direction's translation; the embedded
     * addresses and ports (or echo identifier) get the translation undone. The ICMPv6 checksum covers the outer
     * pseudo-header and every changed word of the quote, the embedded TCP/UDP/ICMPv6 checksum the embedded
     * pseudo-header (GRE's covers none); all follow incrementally. Only an embedded packet whose upper-layer header
     * follows its IPv6 header directly is translated (the quote of one with extension headers may not even hold its
     * ports).
     */
    private Verdict forwardIcmpError(Packet packet, long nowNanos) {
        MemorySegment segment = ip.segment();
        int quoted = l4Length - ICMPV6_ERROR_HEADER_LENGTH;
        long embedded = l4 + ICMPV6_ERROR_HEADER_LENGTH;
        // The embedded header and the first 8 bytes of its payload: the ports, or the echo identifier.
        if (quoted < Ipv6Header.LENGTH + Engine.ICMP_ERROR_QUOTED_L4_BYTES) {
            return drop(DropReason.ICMP_ERROR_TRUNCATED);
        }
        embeddedIp.wrap(segment, embedded);
        int embeddedProtocol = segment.get(ValueLayout.JAVA_BYTE, embedded + Ipv6Header.NEXT_HEADER_OFFSET) & 0xff;
        if (embeddedIp.version() != Ipv6Header.VERSION) {
            return drop(DropReason.ICMP_ERROR_UNSUPPORTED_EMBEDDED);
        }
        long embeddedL4 = embedded + Ipv6Header.LENGTH;
        int quotedL4 = quoted - Ipv6Header.LENGTH;
        long embeddedSourceHigh = embeddedIp.sourceHigh();
        long embeddedSourceLow = embeddedIp.sourceLow();
        long embeddedDestinationHigh = embeddedIp.destinationHigh();
        long embeddedDestinationLow = embeddedIp.destinationLow();
        int embeddedSourcePort;
        int embeddedDestinationPort;
        int embeddedIcmpType = -1;
        if (embeddedProtocol == Ipv6Header.NEXT_HEADER_TCP || embeddedProtocol == Ipv6Header.NEXT_HEADER_UDP) {
            embeddedSourcePort = Short.toUnsignedInt(segment.get(U16, embeddedL4));
            embeddedDestinationPort = Short.toUnsignedInt(segment.get(U16, embeddedL4 + 2));
        } else if (embeddedProtocol == Ipv6Header.PROTOCOL_ICMPV6) {
            embeddedIcmpType = segment.get(ValueLayout.JAVA_BYTE, embeddedL4) & 0xff;
            int identifier = Short.toUnsignedInt(segment.get(U16, embeddedL4 + IcmpHeader.IDENTIFIER_OFFSET));
            if (embeddedIcmpType == IcmpHeader.V6_TYPE_ECHO_REQUEST) {
                embeddedSourcePort = identifier;
                embeddedDestinationPort = 0;
            } else if (embeddedIcmpType == IcmpHeader.V6_TYPE_ECHO_REPLY) {
                embeddedSourcePort = 0;
                embeddedDestinationPort = identifier;
            } else {
                return drop(DropReason.ICMP_ERROR_UNSUPPORTED_EMBEDDED);
            }
        } else if (embeddedProtocol == GreHeader.PROTOCOL) {
            // Tunnel path MTU discovery, as over IPv4: only a version 0 session's reply key is its original key
            // reversed; a PPTP session's holds the other end's call id, which the quote does not show.
            embeddedSourcePort = 0;
            embeddedDestinationPort = 0;
        } else {
            return drop(DropReason.ICMP_ERROR_UNSUPPORTED_EMBEDDED);
        }
        // The reply to the embedded packet is what travels the way the error does.
        int found = sessions.find6(embeddedProtocol, embeddedDestinationHigh, embeddedDestinationLow,
                embeddedDestinationPort, embeddedSourceHigh, embeddedSourceLow, embeddedSourcePort, nowNanos);
        if (found == SessionTable.NOT_FOUND) {
            return drop(DropReason.ICMP_ERROR_NO_SESSION);
        }
        if (ip.hopLimit() <= 1) {
            return drop(DropReason.TTL_EXCEEDED);
        }
        long route = readTranslation(SessionTable.slotOf(found), SessionTable.directionOf(found));
        if (route == Fib6.NO_ROUTE) {
            return drop(DropReason.NO_ROUTE);
        }
        int icmpChecksum = icmp.checksum();
        // Outer header: to the sender as it really is; from the peer as the sender knows it.
        if (destinationHigh == embeddedSourceHigh && destinationLow == embeddedSourceLow) {
            ip.destination(newDestinationHigh, newDestinationLow);
            icmpChecksum = Checksums.update128(icmpChecksum, destinationHigh, destinationLow, newDestinationHigh,
                    newDestinationLow);
        }
        if (sourceHigh == embeddedDestinationHigh && sourceLow == embeddedDestinationLow) {
            ip.source(newSourceHigh, newSourceLow);
            icmpChecksum = Checksums.update128(icmpChecksum, sourceHigh, sourceLow, newSourceHigh, newSourceLow);
        }
        ip.hopLimit(ip.hopLimit() - 1);
        // Embedded packet: back to what the sender sent, as it left the sender.
        long l4ChecksumOffset = embeddedL4 + checksumOffset(embeddedProtocol);
        // GRE's checksum covers no pseudo-header (RFC 2784 §2.5), and GRE has no ports to restore.
        boolean isGre = embeddedProtocol == GreHeader.PROTOCOL;
        boolean hasL4Checksum = !isGre && quotedL4 >= checksumOffset(embeddedProtocol) + 2;
        int l4Checksum = hasL4Checksum ? Short.toUnsignedInt(segment.get(U16, l4ChecksumOffset)) : 0;
        int oldL4Checksum = l4Checksum;
        if (newDestinationHigh != embeddedSourceHigh || newDestinationLow != embeddedSourceLow) {
            embeddedIp.source(newDestinationHigh, newDestinationLow);
            icmpChecksum = Checksums.update128(icmpChecksum, embeddedSourceHigh, embeddedSourceLow,
                    newDestinationHigh, newDestinationLow);
            l4Checksum = Checksums.update128(l4Checksum, embeddedSourceHigh, embeddedSourceLow, newDestinationHigh,
                    newDestinationLow);
        }
        if (newSourceHigh != embeddedDestinationHigh || newSourceLow != embeddedDestinationLow) {
            embeddedIp.destination(newSourceHigh, newSourceLow);
            icmpChecksum = Checksums.update128(icmpChecksum, embeddedDestinationHigh, embeddedDestinationLow,
                    newSourceHigh, newSourceLow);
            l4Checksum = Checksums.update128(l4Checksum, embeddedDestinationHigh, embeddedDestinationLow,
                    newSourceHigh, newSourceLow);
        }
        if (embeddedProtocol == Ipv6Header.PROTOCOL_ICMPV6) {
            boolean isRequest = embeddedIcmpType == IcmpHeader.V6_TYPE_ECHO_REQUEST;
            int oldIdentifier = isRequest ? embeddedSourcePort : embeddedDestinationPort;
            int newIdentifier = isRequest ? newDestinationPort : newSourcePort;
            if (newIdentifier != oldIdentifier) {
                segment.set(U16, embeddedL4 + IcmpHeader.IDENTIFIER_OFFSET, (short) newIdentifier);
                l4Checksum = Checksums.update16(l4Checksum, oldIdentifier, newIdentifier);
                icmpChecksum = Checksums.update16(icmpChecksum, oldIdentifier, newIdentifier);
            }
        } else if (!isGre) {
            if (newDestinationPort != embeddedSourcePort) {
                segment.set(U16, embeddedL4, (short) newDestinationPort);
                icmpChecksum = Checksums.update16(icmpChecksum, embeddedSourcePort, newDestinationPort);
                l4Checksum = Checksums.update16(l4Checksum, embeddedSourcePort, newDestinationPort);
            }
            if (newSourcePort != embeddedDestinationPort) {
                segment.set(U16, embeddedL4 + 2, (short) newSourcePort);
                icmpChecksum = Checksums.update16(icmpChecksum, embeddedDestinationPort, newSourcePort);
                l4Checksum = Checksums.update16(l4Checksum, embeddedDestinationPort, newSourcePort);
            }
        }
        if (l4Checksum == 0 && embeddedProtocol == Ipv6Header.NEXT_HEADER_UDP) {
            l4Checksum = 0xffff;
        }
        if (hasL4Checksum && l4Checksum != oldL4Checksum) {
            segment.set(U16, l4ChecksumOffset, (short) l4Checksum);
            icmpChecksum = Checksums.update16(icmpChecksum, oldL4Checksum, l4Checksum);
        }
        icmp.checksum(icmpChecksum);
        setNextHop(packet, route, ip.destinationHigh(), ip.destinationLow());
        icmpErrorsTranslated++;
        packetsForwarded++;
        return Verdict.FORWARD;
    }

    /**
     * A packet whose hop limit runs out here (RFC 8200 §3) is turned, in place, into the ICMPv6 time-exceeded
     * error (type 3, code 0, RFC 4443 §3.3) that tells its sender: from the ingress interface's first IPv6 address,
     * quoting as much of the packet as fits in {@link #ICMPV6_ERROR_MAX_LENGTH} bytes and the buffer, sent back
     * out of the ingress interface. Not sent (and counted as a TTL_EXCEEDED drop): beyond the engine's ICMP error
     * token bucket, or without an interface address or room for the header and 8 bytes of the quote.
     */
    private Verdict sendTimeExceeded(Packet packet, long nowNanos) {
        if (!canSendError(packet) || !engine.takeIcmpErrorToken(nowNanos)) {
            return drop(DropReason.TTL_EXCEEDED);
        }
        sendError(packet, IcmpHeader.V6_TYPE_TIME_EXCEEDED, 0);
        timeExceededSent++;
        packetsForwarded++;
        return Verdict.FORWARD;
    }

    /**
     * A packet longer than its egress interface's MTU: IPv6 routers never fragment (RFC 8200 §5), so its sender gets
     * packet too big (type 2, code 0, RFC 4443 §3.2) with the MTU, from the ingress interface's first address; not
     * sent, it counts as a FRAGMENTATION_NEEDED drop. Like Linux (net.ipv6.icmp.ratemask leaves out type 2), these
     * skip the token bucket: path MTU discovery stalls without them, and there is at most one per oversized packet.
     */
    private Verdict packetTooBig(Packet packet, int mtu) {
        if (!canSendError(packet)) {
            return drop(DropReason.FRAGMENTATION_NEEDED);
        }
        sendError(packet, IcmpHeader.V6_TYPE_PACKET_TOO_BIG, mtu);
        packetTooBigSent++;
        packetsForwarded++;
        return Verdict.FORWARD;
    }

    /** Whether the ingress interface has an address to send an error from, and the buffer room for its quote. */
    private boolean canSendError(Packet packet) {
        return fib.hasAddress(packet.ingressInterface)
                && errorQuoteLength(packet) >= Ipv6Header.LENGTH + Engine.ICMP_ERROR_QUOTED_L4_BYTES;
    }

    private int errorQuoteLength(Packet packet) {
        int limit = (int) Math.min(packet.capacity > packet.length ? packet.capacity : packet.length,
                packet.segment.byteSize() - packet.offset);
        int headers = Ipv6Header.LENGTH + ICMPV6_ERROR_HEADER_LENGTH;
        return Math.min(ip.totalLength(), Math.min(ICMPV6_ERROR_MAX_LENGTH, limit) - headers);
    }

    /**
     * Turns {@code packet}, in place, into the ICMPv6 error {@code type} (code 0) with {@code word} as the second
     * 32-bit word, from the ingress interface's first IPv6 address to the packet's source, quoting as much of the
     * packet as fits in {@link #ICMPV6_ERROR_MAX_LENGTH} bytes and the buffer, sent back out of the ingress
     * interface. The caller has checked {@link #canSendError}.
     */
    private void sendError(Packet packet, int type, int word) {
        int ingress = packet.ingressInterface;
        int headers = Ipv6Header.LENGTH + ICMPV6_ERROR_HEADER_LENGTH;
        int quote = errorQuoteLength(packet);
        MemorySegment segment = packet.segment;
        long start = packet.offset;
        MemorySegment.copy(segment, start, segment, start + headers, quote);
        int payloadLength = ICMPV6_ERROR_HEADER_LENGTH + quote;
        segment.set(U32, start, Ipv6Header.VERSION << 28);
        ip.wrap(segment, start);
        ip.payloadLength(payloadLength);
        segment.set(ValueLayout.JAVA_BYTE, start + Ipv6Header.NEXT_HEADER_OFFSET, (byte) Ipv6Header.PROTOCOL_ICMPV6);
        ip.hopLimit(Engine.LOCAL_REPLY_TTL);
        long fromHigh = fib.firstAddressHigh(ingress);
        long fromLow = fib.firstAddressLow(ingress);
        ip.source(fromHigh, fromLow);
        ip.destination(sourceHigh, sourceLow);
        long icmpOffset = start + Ipv6Header.LENGTH;
        segment.set(U16, icmpOffset, (short) (type << 8));
        segment.set(U16, icmpOffset + IcmpHeader.CHECKSUM_OFFSET, (short) 0);
        segment.set(U32, icmpOffset + 4, word);
        long sum = Checksums.sum(segment, icmpOffset, payloadLength, Checksums.pseudoHeaderSum6(fromHigh, fromLow,
                sourceHigh, sourceLow, Ipv6Header.PROTOCOL_ICMPV6, payloadLength));
        segment.set(U16, icmpOffset + IcmpHeader.CHECKSUM_OFFSET, (short) (~Checksums.fold(sum) & 0xffff));
        packet.length = Ipv6Header.LENGTH + payloadLength;
        sendBack(packet, ingress, sourceHigh, sourceLow);
    }

    /** Out of the ingress interface, through the gateway there that leads to the destination, if any. */
    private void sendBack(Packet packet, int ingress, long toHigh, long toLow) {
        long back = fib.lookup(toHigh, toLow);
        packet.egressInterface = ingress;
        boolean viaGateway = back != Fib6.NO_ROUTE && Fib6.egressInterface(back) == ingress
                && Fib6.gatewayIndex(back) != Fib6.ON_LINK;
        packet.nextHopHigh = viaGateway ? fib.gatewayHigh(Fib6.gatewayIndex(back)) : toHigh;
        packet.nextHopLow = viaGateway ? fib.gatewayLow(Fib6.gatewayIndex(back)) : toLow;
    }

    /**
     * A packet for one of algd's own IPv6 addresses that matched no session: an echo request is turned into its
     * reply in place (RFC 4443 §4.2: swap the addresses, type 129, same identifier, sequence and data) and sent
     * back out of the interface it came in on; anything else is dropped.
     */
    private Verdict answerLocally(Packet packet) {
        if (protocol != Ipv6Header.PROTOCOL_ICMPV6 || icmpType != IcmpHeader.V6_TYPE_ECHO_REQUEST) {
            return drop(DropReason.LOCAL_DESTINATION);
        }
        // Swapping the two addresses leaves the pseudo-header's one's complement sum unchanged.
        ip.source(destinationHigh, destinationLow);
        ip.destination(sourceHigh, sourceLow);
        ip.hopLimit(Engine.LOCAL_REPLY_TTL);
        int oldTypeCode = icmp.typeCodeWord();
        icmp.type(IcmpHeader.V6_TYPE_ECHO_REPLY);
        icmp.checksum(Checksums.update16(icmp.checksum(), oldTypeCode, icmp.typeCodeWord()));
        sendBack(packet, packet.ingressInterface, sourceHigh, sourceLow);
        echoRepliesSent++;
        packetsForwarded++;
        return Verdict.FORWARD;
    }
}
