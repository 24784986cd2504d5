package dev.algd.io;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.SourceNatRule;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The L2 adapter of one configured interface on its port: it answers ARP for the addresses algd owns there,
 * resolves next hops through its {@link NeighbourTable}, and frames IPv4 packets for sending. It holds no
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
    private final long[] drops;
    private final long mac;
    private final ArpMessage arp = new ArpMessage();

    private int index = -1;
    private String name = "";
    private int[] addresses = new int[0];
    private int[] masks = new int[0];
    private int[] ownedFirst = new int[0];
    private int[] ownedLast = new int[0];

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
            if (!rule.disabled() && !rule.exclude() && !rule.isMasquerade()
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
        return Arrays.stream(nextAddresses).filter(a -> !contains(before, a)).toArray();
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

    /** Handles the ARP packet {@code [from, to)}: learns the sender (RFC 826 merge) and answers requests for us. */
    void handleArp(MemorySegment segment, long from, long to, long nowNanos) {
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
        if (arp.operation == Arp.OPERATION_REQUEST && forUs && !arp.isGratuitous()) {
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
        Ethernet.writeHeader(tx, t, destinationMac, mac, Ethernet.TYPE_IPV4);
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
                neighbours.size(), neighbours.heldPackets(), txFlushFailures, socketErrors);
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
