package dev.algd.io;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.Ipv6Prefix;
import dev.algd.engine.config.SourceNatRule;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The L2 adapter of one configured interface on its port: it answers ARP and IPv6 neighbour solicitations for the
 * addresses algd owns there, resolves next hops through its {@link NeighbourTable}s (one per family), and frames
 * IPv4 and IPv6 packets for sending. It holds no
 * reference to the engine. Owned by the data-plane worker; the counters are plain fields read on that thread.
 * <p>
 * algd owns on an interface: its configured addresses ({@link InterfaceConfig#addresses()}, usually absent from
 * the Linux device), and the explicit translation addresses of the source NAT rules that go out on it (proxy
 * ARP: the peers must reach a pool address to answer). A masquerade rule uses the interface address itself.
 */
final class BoundInterface implements NeighbourTable.Output {
    /** IEEE 802.3 minimum frame without FCS: shorter frames (ARP is 42 bytes) are padded with zeros. */
    static final int MIN_FRAME_BYTES = 60;
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[MIN_FRAME_BYTES]);

    final PacketPort port;
    final NeighbourTable neighbours;
    final NeighbourTable neighbours6;
    private final long[] drops;
    private final long mac;
    private final ArpMessage arp = new ArpMessage();
    private final NdpMessage ndp = new NdpMessage();

    private int index = -1;
    private String name = "";
    private int[] addresses = new int[0];
    private int[] masks = new int[0];
    private int[] ownedFirst = new int[0];
    private int[] ownedLast = new int[0];
    /** Per IPv6 address on the interface: high, low, mask high, mask low. */
    private long[] ipv6Addresses = new long[0];
    /** Per IPv6 NAT66 translation range going out here: first high, first low, last high, last low. */
    private long[] ownedIpv6 = new long[0];
    long ndpAdvertisementsSent;
    long ndpSolicitationsSent;

    long rxFrames;
    long rxBytes;
    long txFrames;
    long txBytes;
    long kernelDrops;
    long checksumsCompleted;
    long arpRepliesSent;
    long arpRequestsSent;
    long arpAnnouncementsSent;
    long addressConflicts;
    long txFlushFailures;
    long socketErrors;

    BoundInterface(PacketPort port, long[] drops) {
        this.port = port;
        this.drops = drops;
        this.mac = port.macAddress();
        this.neighbours = new NeighbourTable(this, drops);
        this.neighbours6 = NeighbourTable.forIpv6(this, drops);
    }

    /**
     * Takes the interface's place in {@code config}: its data-path index and the addresses it owns.
     *
     * @return the interface addresses that it did not own before (to announce)
     */
    int[] configure(int index, InterfaceConfig interfaceConfig, EngineConfig config) {
        this.index = index;
        this.name = interfaceConfig.name();
        int[] before = addresses;
        List<Ipv4Prefix> prefixes = interfaceConfig.addresses();
        int[] nextAddresses = new int[prefixes.size()];
        int[] nextMasks = new int[prefixes.size()];
        for (int i = 0; i < prefixes.size(); i++) {
            nextAddresses[i] = prefixes.get(i).address();
            nextMasks[i] = prefixes.get(i).mask();
        }
        List<AddressRange> owned = new ArrayList<>();
        for (SourceNatRule rule : config.sourceNatRules()) {
            if (!rule.disabled() && !rule.exclude() && !rule.isMasquerade() && !rule.translationAddress().isIpv6()
                    && interfaceConfig.name().equals(rule.outboundInterface())) {
                owned.add(rule.translationAddress());
            }
        }
        int[] first = new int[owned.size()];
        int[] last = new int[owned.size()];
        for (int i = 0; i < owned.size(); i++) {
            first[i] = owned.get(i).first();
            last[i] = owned.get(i).last();
        }
        addresses = nextAddresses;
        masks = nextMasks;
        ownedFirst = first;
        ownedLast = last;
        configureIpv6(interfaceConfig, config);
        return Arrays.stream(nextAddresses).filter(a -> !contains(before, a)).toArray();
    }

    /** The IPv6 addresses of the interface, and the NAT66 translation ranges going out on it (proxy ND). */
    private void configureIpv6(InterfaceConfig interfaceConfig, EngineConfig config) {
        List<Ipv6Prefix> prefixes = interfaceConfig.ipv6Addresses();
        long[] next = new long[prefixes.size() * 4];
        for (int i = 0; i < prefixes.size(); i++) {
            next[i * 4] = prefixes.get(i).address().high();
            next[i * 4 + 1] = prefixes.get(i).address().low();
            next[i * 4 + 2] = prefixes.get(i).maskHigh();
            next[i * 4 + 3] = prefixes.get(i).maskLow();
        }
        List<AddressRange> owned = new ArrayList<>();
        for (SourceNatRule rule : config.sourceNatRules()) {
            if (!rule.disabled() && !rule.exclude() && !rule.isMasquerade() && rule.translationAddress().isIpv6()
                    && interfaceConfig.name().equals(rule.outboundInterface())) {
                owned.add(rule.translationAddress());
            }
        }
        long[] ranges = new long[owned.size() * 4];
        for (int i = 0; i < owned.size(); i++) {
            AddressRange.storeIpv6(owned.get(i), ranges, i * 4);
        }
        ipv6Addresses = next;
        ownedIpv6 = ranges;
    }

    int index() {
        return index;
    }

    String name() {
        return name;
    }

    long mac() {
        return mac;
    }

    /** Whether algd answers ARP for {@code address} on this interface. */
    boolean owns(int address) {
        if (contains(addresses, address)) {
            return true;
        }
        for (int i = 0; i < ownedFirst.length; i++) {
            if (Integer.compareUnsigned(address, ownedFirst[i]) >= 0
                    && Integer.compareUnsigned(address, ownedLast[i]) <= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether algd answers neighbour solicitations for {@code high:low} on this interface. */
    boolean owns6(long high, long low) {
        for (int i = 0; i < ipv6Addresses.length; i += 4) {
            if (ipv6Addresses[i] == high && ipv6Addresses[i + 1] == low) {
                return true;
            }
        }
        for (int i = 0; i < ownedIpv6.length; i += 4) {
            if (AddressRange.contains6(ownedIpv6[i], ownedIpv6[i + 1], ownedIpv6[i + 2], ownedIpv6[i + 3], high,
                    low)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes the IPv6 packet {@code [from, to)} if it is neighbour discovery (RFC 4861): a solicitation for one of
     * algd's addresses is answered with an advertisement and teaches the solicitor's link-layer address; an
     * advertisement updates the neighbour it names (and sends what waited for it). Returns whether the packet was
     * taken; anything else goes to the engine.
     */
    boolean handleNeighbourDiscovery(MemorySegment segment, long from, long to, long nowNanos) {
        if (to - from < Ndp.IPV6_HEADER + 1
                || (segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, from + 6) & 0xff) != Ndp.PROTOCOL_ICMPV6) {
            return false;
        }
        int type = segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, from + Ndp.IPV6_HEADER) & 0xff;
        if (type != Ndp.TYPE_NEIGHBOUR_SOLICITATION && type != Ndp.TYPE_NEIGHBOUR_ADVERTISEMENT) {
            return false;
        }
        if (Ndp.parse(segment, from, to, ndp) != NdpReason.OK) {
            drops[FrameDropReason.NDP_MALFORMED.ordinal()]++;
            return true;
        }
        boolean forUs = owns6(ndp.targetHigh, ndp.targetLow);
        if (ndp.type == Ndp.TYPE_NEIGHBOUR_ADVERTISEMENT) {
            if (forUs) {
                if (ndp.linkLayerAddress != mac) {
                    addressConflicts++;
                }
            } else if (ndp.linkLayerAddress != NeighbourTable.NO_MAC) {
                neighbours6.learn6(ndp.targetHigh, ndp.targetLow, ndp.linkLayerAddress, false, nowNanos);
            }
            return true;
        }
        if (!forUs) {
            return true;
        }
        boolean isProbe = ndp.isFromUnspecified();
        if (!isProbe && ndp.linkLayerAddress != NeighbourTable.NO_MAC
                && !Ethernet.isGroupAddress(ndp.linkLayerAddress)) {
            neighbours6.learn6(ndp.sourceHigh, ndp.sourceLow, ndp.linkLayerAddress, true, nowNanos);
        }
        // RFC 4861 §7.2.4: to the solicitor, or to all nodes (not solicited) when it has no address yet.
        long toHigh = isProbe ? Ndp.ALL_NODES_HIGH : ndp.sourceHigh;
        long toLow = isProbe ? Ndp.ALL_NODES_LOW : ndp.sourceLow;
        long toMac = isProbe ? Ethernet.ipv6MulticastMac(Ndp.ALL_NODES_LOW)
                : ndp.linkLayerAddress != NeighbourTable.NO_MAC ? ndp.linkLayerAddress
                : Ethernet.source(segment, from - Ethernet.HEADER_LENGTH);
        int flags = Ndp.FLAG_ROUTER | Ndp.FLAG_OVERRIDE | (isProbe ? 0 : Ndp.FLAG_SOLICITED);
        if (writeNdp(toMac, Ndp.TYPE_NEIGHBOUR_ADVERTISEMENT, flags, ndp.targetHigh, ndp.targetLow, toHigh, toLow,
                ndp.targetHigh, ndp.targetLow)) {
            ndpAdvertisementsSent++;
        }
        return true;
    }

    /** Frames and sends one neighbour discovery message; false when the TX ring is full (counted). */
    private boolean writeNdp(long destinationMac, int type, int flags, long sourceHigh, long sourceLow,
            long destinationHigh, long destinationLow, long targetHigh, long targetLow) {
        long t = port.reserveTransmit();
        if (t < 0) {
            drops[FrameDropReason.TX_RING_FULL.ordinal()]++;
            return false;
        }
        MemorySegment tx = port.transmitBuffer();
        Ethernet.writeHeader(tx, t, destinationMac, mac, Ethernet.TYPE_IPV6);
        int length = Ndp.write(tx, t + Ethernet.HEADER_LENGTH, type, flags, sourceHigh, sourceLow, destinationHigh,
                destinationLow, targetHigh, targetLow, mac);
        commitPadded(tx, t, Ethernet.HEADER_LENGTH + length);
        return true;
    }

    /**
     * Solicits {@code high:low}: to its solicited-node multicast group (RFC 4861 §7.2.2) or, to refresh a known
     * neighbour, to its own address and MAC; from the interface's IPv6 address on the target's prefix (else the
     * first). An interface without IPv6 addresses cannot solicit.
     */
    @Override
    public void sendNeighbourSolicitation(long high, long low, long destinationMac) {
        if (ipv6Addresses.length == 0) {
            return;
        }
        int from = 0;
        for (int i = 0; i < ipv6Addresses.length; i += 4) {
            if (((high ^ ipv6Addresses[i]) & ipv6Addresses[i + 2]) == 0
                    && ((low ^ ipv6Addresses[i + 1]) & ipv6Addresses[i + 3]) == 0) {
                from = i;
                break;
            }
        }
        boolean multicast = destinationMac == Ethernet.BROADCAST;
        long toHigh = multicast ? Ndp.SOLICITED_NODE_HIGH : high;
        long toLow = multicast ? Ndp.solicitedNodeLow(low) : low;
        long toMac = multicast ? Ethernet.ipv6MulticastMac(toLow) : destinationMac;
        if (writeNdp(toMac, Ndp.TYPE_NEIGHBOUR_SOLICITATION, 0, ipv6Addresses[from], ipv6Addresses[from + 1],
                toHigh, toLow, high, low)) {
            ndpSolicitationsSent++;
        }
    }

    /**
     * Sends the IPv6 packet {@code [offset, offset + length)} to {@code nextHighHigh:nextHopLow}: framed at once
     * when the neighbour is known (or the next hop is multicast), else held while neighbour discovery resolves it.
     */
    void transmitIpv6(MemorySegment segment, long offset, int length, long nextHopHigh, long nextHopLow,
            long nowNanos) {
        if (length > port.mtu() || length + Ethernet.HEADER_LENGTH > port.transmitCapacity()) {
            drops[FrameDropReason.EXCEEDS_MTU.ordinal()]++;
            return;
        }
        if (!port.isEthernet()) {
            transmitHeld(0, segment, offset, length);   // no link layer (TUN): no neighbour to solicit
            return;
        }
        long destination = nextHopHigh >>> 56 == 0xff ? Ethernet.ipv6MulticastMac(nextHopLow)
                : neighbours6.resolve6(nextHopHigh, nextHopLow, segment, offset, length, nowNanos);
        if (destination != NeighbourTable.NO_MAC) {
            transmitHeld(destination, segment, offset, length);
        }
    }

    /** Handles the ARP packet {@code [from, to)}: learns the sender (RFC 826 merge) and answers requests for us. */
    void handleArp(MemorySegment segment, long from, long to, long nowNanos) {
        handleArp(segment, from, to, nowNanos, true);
    }

    /** As above; {@code answer} false only learns (a worker other than 0 learning from worker 0's copy). */
    void handleArp(MemorySegment segment, long from, long to, long nowNanos, boolean answer) {
        if (Arp.parse(segment, from, to, arp) != ArpReason.OK) {
            drops[FrameDropReason.ARP_MALFORMED.ordinal()]++;
            return;
        }
        boolean forUs = owns(arp.targetAddress);
        if (!arp.isProbe() && !Ethernet.isGroupAddress(arp.senderMac)) {
            if (contains(addresses, arp.senderAddress)) {
                // Someone else claims an address algd owns (RFC 5227 §2.4): count it, keep answering.
                if (arp.senderMac != mac) {
                    addressConflicts++;
                }
            } else {
                neighbours.learn(arp.senderAddress, arp.senderMac, forUs, nowNanos);
            }
        }
        if (answer && arp.operation == Arp.OPERATION_REQUEST && forUs && !arp.isGratuitous()) {
            sendArpReply();
        }
    }

    private void sendArpReply() {
        long t = port.reserveTransmit();
        if (t < 0) {
            drops[FrameDropReason.TX_RING_FULL.ordinal()]++;
            return;
        }
        MemorySegment tx = port.transmitBuffer();
        long requesterMac = arp.senderMac;
        int requester = arp.senderAddress;
        int answered = arp.targetAddress;
        Ethernet.writeHeader(tx, t, requesterMac, mac, Ethernet.TYPE_ARP);
        Arp.write(tx, t + Ethernet.HEADER_LENGTH, arp.set(Arp.OPERATION_REPLY, mac, answered, requesterMac, requester));
        commitPadded(tx, t, Ethernet.HEADER_LENGTH + Arp.LENGTH);
        arpRepliesSent++;
    }

    /** Sends one ARP announcement (RFC 5227 §3: a request with sender = target = the address) per address given. */
    void announce(int[] announced) {
        if (!port.isEthernet()) {
            return;
        }
        for (int address : announced) {
            if (writeArpRequest(Ethernet.BROADCAST, address, address)) {
                arpAnnouncementsSent++;
            }
        }
    }

    @Override
    public void sendArpRequest(int address, long destinationMac) {
        if (writeArpRequest(destinationMac, sourceAddressFor(address), address)) {
            arpRequestsSent++;
        }
    }

    private boolean writeArpRequest(long destinationMac, int senderAddress, int targetAddress) {
        long t = port.reserveTransmit();
        if (t < 0) {
            drops[FrameDropReason.TX_RING_FULL.ordinal()]++;
            return false;
        }
        MemorySegment tx = port.transmitBuffer();
        Ethernet.writeHeader(tx, t, destinationMac, mac, Ethernet.TYPE_ARP);
        Arp.write(tx, t + Ethernet.HEADER_LENGTH, arp.set(Arp.OPERATION_REQUEST, mac, senderAddress, 0, targetAddress));
        commitPadded(tx, t, Ethernet.HEADER_LENGTH + Arp.LENGTH);
        return true;
    }

    /** The interface address on the target's subnet, else the first one, else 0.0.0.0 (an RFC 5227 probe). */
    private int sourceAddressFor(int target) {
        for (int i = 0; i < addresses.length; i++) {
            if ((target & masks[i]) == (addresses[i] & masks[i])) {
                return addresses[i];
            }
        }
        return addresses.length > 0 ? addresses[0] : 0;
    }

    private void commitPadded(MemorySegment tx, long frame, int length) {
        if (length < MIN_FRAME_BYTES) {
            MemorySegment.copy(ZEROS, 0, tx, frame + length, MIN_FRAME_BYTES - length);
            length = MIN_FRAME_BYTES;
        }
        port.commitTransmit(length);
        txFrames++;
        txBytes += length;
    }

    /**
     * Sends the IPv4 packet {@code [offset, offset + length)} to {@code nextHop}: framed at once when the neighbour
     * is known (or the next hop is a broadcast or multicast address), else held while ARP resolves it.
     */
    void transmitIpv4(MemorySegment segment, long offset, int length, int nextHop, long nowNanos) {
        transmitIpv4(segment, offset, length, length, nextHop, nowNanos);
    }

    /** As above, for a packet whose largest piece on the wire is {@code wireLength} bytes (a GSO packet's segment). */
    void transmitIpv4(MemorySegment segment, long offset, int length, int wireLength, int nextHop, long nowNanos) {
        if (wireLength > port.mtu() || length + Ethernet.HEADER_LENGTH > port.transmitCapacity()) {
            drops[FrameDropReason.EXCEEDS_MTU.ordinal()]++;
            return;
        }
        if (!port.isEthernet()) {
            transmitHeld(0, segment, offset, length);
            return;
        }
        long destination = groupMac(nextHop);
        if (destination == NeighbourTable.NO_MAC) {
            destination = neighbours.resolve(nextHop, segment, offset, length, nowNanos);
            if (destination == NeighbourTable.NO_MAC) {
                return;
            }
        }
        transmitHeld(destination, segment, offset, length);
    }

    @Override
    public void transmitHeld(long destinationMac, MemorySegment segment, long offset, int length) {
        long t = port.reserveTransmit();
        if (t < 0) {
            drops[FrameDropReason.TX_RING_FULL.ordinal()]++;
            return;
        }
        MemorySegment tx = port.transmitBuffer();
        // The neighbour tables hold both families' packets; the version nibble says which one this is.
        int type = (segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offset) & 0xf0) == 0x60
                ? Ethernet.TYPE_IPV6 : Ethernet.TYPE_IPV4;
        Ethernet.writeHeader(tx, t, destinationMac, mac, type);
        MemorySegment.copy(segment, offset, tx, t + Ethernet.HEADER_LENGTH, length);
        int frameLength = Ethernet.HEADER_LENGTH + length;
        port.commitTransmit(frameLength);
        txFrames++;
        txBytes += frameLength;
    }

    /**
     * The Ethernet group address for a broadcast or multicast next hop (RFC 1112 §6.4, RFC 919), or
     * {@link NeighbourTable#NO_MAC} for a unicast one.
     */
    private long groupMac(int nextHop) {
        if (nextHop == -1) {
            return Ethernet.BROADCAST;
        }
        if (nextHop >>> 28 == 0xe) {
            return Ethernet.ipv4MulticastMac(nextHop);
        }
        for (int i = 0; i < addresses.length; i++) {
            int mask = masks[i];
            if (mask != -1 && mask != 0xffff_fffe && (nextHop & mask) == (addresses[i] & mask)
                    && (nextHop | mask) == -1) {
                return Ethernet.BROADCAST;   // the directed broadcast of an on-link /30 or shorter prefix
            }
        }
        return NeighbourTable.NO_MAC;
    }

    PortCounters counters() {
        return new PortCounters(name, port.device(), rxFrames, rxBytes, txFrames, txBytes, kernelDrops,
                checksumsCompleted, arpRepliesSent, arpRequestsSent, arpAnnouncementsSent, addressConflicts,
                neighbours.size() + neighbours6.size(), neighbours.heldPackets() + neighbours6.heldPackets(),
                txFlushFailures, socketErrors);
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
