package dev.algd.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An in-memory {@link PacketPort}: tests queue received frames and read what was flushed. Receive buffers mimic a
 * TPACKET_V2 slot (2048 bytes, frame at offset 66); transmit slots are 2048 bytes with data at 32, and become free
 * again when flushed, like frames the kernel has sent.
 */
final class FakePort implements PacketPort {
    static final int SLOT = 2048;
    static final int RX_DATA = 66;
    static final int TX_DATA = 32;

    private final String device;
    private final long mac;
    private final int mtu;
    private final int slot;
    private final boolean vnet;
    private Offload nextOffload = new Offload(ReceivedFrame.GSO_NONE, 0, 0, 0, 0);
    final List<Offload> offloads = new ArrayList<>();
    private final ArrayDeque<Received> received = new ArrayDeque<>();
    private final MemorySegment tx;
    private final int txSlots;
    private final List<Integer> committedSlots = new ArrayList<>();
    private final List<byte[]> committed = new ArrayList<>();
    final List<byte[]> sent = new ArrayList<>();
    int flushes;
    boolean closed;
    boolean refuseFlush;
    long kernelDrops;
    /** False for a port without a link layer, as a TUN device. */
    boolean ethernet = true;

    record Received(byte[] bytes, int wireLength, boolean checksumNotReady, boolean vlanTagStripped, int packetType,
            int gsoType, int gsoSize) {
        Received(byte[] bytes, int wireLength, boolean checksumNotReady, boolean vlanTagStripped, int packetType) {
            this(bytes, wireLength, checksumNotReady, vlanTagStripped, packetType, ReceivedFrame.GSO_NONE, 0);
        }
    }

    /** What {@link #offloadNextTransmit} asked for a committed frame, in commit order (vnet ports only). */
    record Offload(int gsoType, int gsoSize, int headerLength, int checksumStart, int checksumOffset) {
    }

    FakePort(String device, long mac) {
        this(device, mac, 1500, 64);
    }

    FakePort(String device, long mac, int mtu, int txSlots) {
        this(device, mac, mtu, txSlots, SLOT, false);
    }

    /** A port with {@code slot}-byte buffers and, if {@code vnet}, vnet headers (GSO frames, offloads recorded). */
    FakePort(String device, long mac, int mtu, int txSlots, int slot, boolean vnet) {
        this.slot = slot;
        this.vnet = vnet;
        this.rxSlot = MemorySegment.ofArray(new byte[slot]);
        this.device = device;
        this.mac = mac;
        this.mtu = mtu;
        this.txSlots = txSlots;
        this.tx = MemorySegment.ofArray(new byte[txSlots * slot]);
    }

    void receive(byte[] frame) {
        received.add(new Received(frame, frame.length, false, false, ReceivedFrame.PACKET_HOST));
    }

    void receive(Received frame) {
        received.add(frame);
    }

    /** Frames flushed since the last call, oldest first. */
    List<byte[]> takeSent() {
        List<byte[]> out = new ArrayList<>(sent);
        sent.clear();
        return out;
    }

    int pendingReceive() {
        return received.size();
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public long macAddress() {
        return mac;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int pollFd() {
        return -1;
    }

    private Received current;
    /** One receive buffer, reused like a ring slot (so that taking a frame allocates nothing). */
    private final MemorySegment rxSlot;
    /** When false, flushed frames are only counted (for allocation measurements). */
    boolean recordSent = true;
    long sentCount;

    @Override
    public boolean nextReceived(ReceivedFrame frame) {
        if (received.isEmpty()) {
            return false;
        }
        current = received.peek();
        MemorySegment slot = rxSlot;
        int captured = Math.min(current.bytes().length, this.slot - RX_DATA);
        MemorySegment.copy(current.bytes(), 0, slot, ValueLayout.JAVA_BYTE, RX_DATA, captured);
        frame.segment = slot;
        frame.offset = RX_DATA;
        frame.limit = 0;
        frame.length = captured;
        frame.wireLength = current.wireLength();
        frame.checksumNotReady = current.checksumNotReady();
        frame.gsoType = current.gsoType();
        frame.gsoSize = current.gsoSize();
        frame.vlanTagStripped = current.vlanTagStripped();
        frame.packetType = current.packetType();
        return true;
    }

    @Override
    public void releaseReceived() {
        received.remove();
    }

    @Override
    public MemorySegment transmitBuffer() {
        return tx;
    }

    @Override
    public int transmitCapacity() {
        return slot - TX_DATA;
    }

    @Override
    public long reserveTransmit() {
        if (committedSlots.size() >= txSlots) {
            return -1;
        }
        return (long) committedSlots.size() * slot + TX_DATA;
    }

    @Override
    public void commitTransmit(int length) {
        sentCount++;
        if (!recordSent) {
            return;
        }
        if (vnet) {
            offloads.add(nextOffload);
            nextOffload = new Offload(ReceivedFrame.GSO_NONE, 0, 0, 0, 0);
        }
        long at = (long) committedSlots.size() * slot + TX_DATA;
        committed.add(tx.asSlice(at, length).toArray(ValueLayout.JAVA_BYTE));
        committedSlots.add(committedSlots.size());
    }

    @Override
    public boolean isEthernet() {
        return ethernet;
    }

    @Override
    public boolean hasVnetHeaders() {
        return vnet;
    }

    @Override
    public void offloadNextTransmit(int gsoType, int gsoSize, int headerLength, int checksumStart,
            int checksumOffset) {
        if (vnet) {
            nextOffload = new Offload(gsoType, gsoSize, headerLength, checksumStart, checksumOffset);
        }
    }

    @Override
    public boolean flushTransmit() {
        if (committed.isEmpty()) {
            return true;
        }
        if (refuseFlush) {
            return false;
        }
        flushes++;
        sent.addAll(committed);
        committed.clear();
        committedSlots.clear();
        return true;
    }

    @Override
    public long takeKernelDrops() {
        long d = kernelDrops;
        kernelDrops = 0;
        return d;
    }

    @Override
    public void close() {
        closed = true;
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
