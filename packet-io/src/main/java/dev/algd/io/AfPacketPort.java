package dev.algd.io;

import dev.algd.io.linux.LibC;
import dev.algd.io.linux.LinuxException;
import dev.algd.io.linux.NetDevice;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A {@link PacketPort} on one AF_PACKET socket with a TPACKET_V2 RX ring and TX ring mapped into memory
 * (kernel Documentation/networking/packet_mmap.rst). How it is opened, and why (design note packet-io.md):
 * <ul>
 * <li>protocol 0 at {@code socket()}, then {@code bind(sockaddr_ll{ETH_P_ALL, ifindex})} last, so the socket sees
 * nothing before its ring exists and sees only its device. An ETH_P_ALL socket is a tap and sees frames before
 * tc/nft ingress hooks; an ETH_P_IP one would not (pitfall 3);</li>
 * <li>{@code PACKET_IGNORE_OUTGOING}: frames algd sends do not come back on its own ring;</li>
 * <li>{@code PACKET_QDISC_BYPASS} and 8 MiB forced socket buffers (pitfall 5); veth frees a TX frame only once the
 * peer consumed it, so the TX ring is as large as the RX ring (pitfall 4);</li>
 * <li>optionally {@code PACKET_VNET_HDR} (set before the rings exist, as the kernel requires): every frame, both
 * ways, is preceded by a 10-byte {@code virtio_net_hdr}, so that GSO/GRO frames up to 64 KiB pass whole (the
 * frame size must hold them: {@link RingGeometry#GSO}) and a partial checksum stays partial (pitfalls 1 and 2);</li>
 * <li>{@code PACKET_LOSS}: a TX frame the kernel rejects (too long for the device) is skipped and made available
 * again, instead of stopping the ring in TP_STATUS_WRONG_FORMAT.</li>
 * </ul>
 * Frames change hands through {@code tp_status} with acquire/release ordering. Not thread-safe: one worker owns it.
 * <p>
 * {@link RxRing#BLOCKS_V3} (TPACKET_V3) instead fills the RX ring a block at a time: packets are packed one after
 * another into {@link RingGeometry#V3_BLOCKS}' blocks, and a block changes hands whole, when it is full or when
 * its retire timer ({@value #V3_RETIRE_MILLIS} ms, rounded up to a jiffy) expires. Fewer hand-overs and wake-ups
 * per packet under load, but a packet on an idle path waits for the timer. The socket's TPACKET version applies to
 * both rings, so the TX ring then uses {@code tpacket3_hdr} frames (status at 20, length at 16, data at 48), one
 * packet per frame as with V2.
 *
 * <pre>
 * one ring frame (TPACKET_V2), offsets from the frame start, host byte order:
 *   0  tp_status u32     RX: TP_STATUS_USER (1) = ours, | CSUMNOTREADY (8) | VLAN_VALID (0x10); 0 = kernel's
 *                        TX: AVAILABLE (0), SEND_REQUEST (1), SENDING (2), WRONG_FORMAT (4)
 *   4  tp_len u32        bytes on the wire           8  tp_snaplen u32   bytes in the frame
 *  12  tp_mac u16        RX: where the Ethernet header starts (66 without reserve or vnet header)
 *  14  tp_net u16        16 tp_sec, 20 tp_nsec       24  tp_vlan_tci u16   26 tp_vlan_tpid u16
 *  32  sockaddr_ll       RX: sll_pkttype at 32 + 10 (PACKET_HOST 0 ... PACKET_OTHERHOST 3)
 *  32  TX data           TPACKET2_HDRLEN - sizeof(sockaddr_ll) = 52 - 20 (pitfall 4: not tp_mac)
 *
 * TPACKET_V3 RX block: struct tpacket_block_desc: version u32@0, offset_to_priv u32@4, then tpacket_hdr_v1:
 *   8  block_status u32 (TP_STATUS_USER = ours)  12 num_pkts u32   16 offset_to_first_pkt u32 (from the block)
 * each packet a struct tpacket3_hdr (48 bytes), packed in the block:
 *   0  tp_next_offset u32 (to the next packet)   12 tp_snaplen u32   16 tp_len u32   20 tp_status u32
 *  24  tp_mac u16   26 tp_net u16   32 tp_vlan_tci u32   48 sockaddr_ll (sll_pkttype at 58)
 *
 * with PACKET_VNET_HDR, struct virtio_net_hdr (10 bytes, host byte order) at tp_mac - 10 on RX and at 32 on TX,
 * the Ethernet frame after it (TX: at 42, tp_len counting the header too):
 *   0  flags u8 (NEEDS_CSUM 1, DATA_VALID 2)   1  gso_type u8 (NONE 0, TCPV4 1, UDP_L4 5; ECN 0x80)
 *   2  hdr_len u16   4  gso_size u16   6  csum_start u16   8  csum_offset u16 (from the Ethernet header)
 * </pre>
 */
public final class AfPacketPort implements PacketPort {
    private static final System.Logger LOG = System.getLogger(AfPacketPort.class.getName());

    static final long TP_STATUS = 0;
    static final long TP_LEN = 4;
    static final long TP_SNAPLEN = 8;
    static final long TP_MAC = 12;
    static final long TP_VLAN_TCI = 24;
    static final long SLL_PKTTYPE = 32 + 10;
    static final long TX_DATA = 32;
    static final int VNET_HEADER_LENGTH = VnetHeader.LENGTH;

    static final int TP_STATUS_KERNEL = 0;
    static final int TP_STATUS_USER = 1;
    static final int TP_STATUS_CSUMNOTREADY = 8;
    static final int TP_STATUS_VLAN_VALID = 0x10;
    static final int TP_STATUS_AVAILABLE = 0;
    static final int TP_STATUS_SEND_REQUEST = 1;
    static final int TP_STATUS_WRONG_FORMAT = 4;

    /** TPACKET_V3 offsets: tpacket_block_desc and tpacket3_hdr (see the class comment). */
    static final long V3_BLOCK_STATUS = 8;
    static final long V3_BLOCK_PACKETS = 12;
    static final long V3_BLOCK_FIRST = 16;
    static final long V3_NEXT = 0;
    static final long V3_SNAPLEN = 12;
    static final long V3_LEN = 16;
    static final long V3_STATUS = 20;
    static final long V3_MAC = 24;
    static final long V3_PKTTYPE = 48 + 10;
    static final long V3_TX_DATA = 48;
    /** A V3 RX block is handed over at the latest this long after its first packet (the kernel rounds to a jiffy). */
    static final int V3_RETIRE_MILLIS = 1;

    /** How the RX ring hands frames over. */
    public enum RxRing {
        /** TPACKET_V2: one frame per slot, each handed over alone (the default). */
        FRAMES_V2,
        /** TPACKET_V3: packets packed into blocks, handed over a block at a time. */
        BLOCKS_V3
    }

    /** Design note packet-io.md pitfall 5: 8 MiB, allowed with CAP_NET_ADMIN. */
    static final int SOCKET_BUFFER_BYTES = 8 << 20;

    private static final VarHandle STATUS = ValueLayout.JAVA_INT.varHandle();

    private final NetDevice device;
    private final int fd;
    private final Arena arena;
    private final MemorySegment rxRing;
    private final MemorySegment txRing;
    private final MemorySegment[] rxFrames;
    private final int frameSize;
    private final int frameCount;
    private final boolean vnet;
    private final boolean v3;
    /** TX frame header fields, which sit elsewhere in a V3 frame. */
    private final long txStatus;
    private final long txLen;
    /** Where a TX frame's vnet header or else Ethernet header starts. */
    private final long txHeader;
    /** Where a TX frame's Ethernet header starts: after the vnet header when there is one. */
    private final long txFrameData;
    private final int rxBlockSize;
    private final int rxBlockCount;
    // TPACKET_V3 RX: the block being read, its packets not yet taken, where the next one starts in rxRing.
    private int rxBlock;
    private int rxBlockPackets;
    private long rxPacket;
    private long rxTaken;
    private final VnetHeader nextOffloads = new VnetHeader();
    private int rxHead;
    private int txHead;
    private int txPending;
    private boolean closed;

    private AfPacketPort(NetDevice device, int fd, Arena arena, MemorySegment rings, RingGeometry geometry,
            RingGeometry rxGeometry, boolean vnet, RxRing rx) {
        this.device = device;
        this.vnet = vnet;
        this.v3 = rx == RxRing.BLOCKS_V3;
        this.txStatus = v3 ? V3_STATUS : TP_STATUS;
        this.txLen = v3 ? V3_LEN : TP_LEN;
        this.txHeader = v3 ? V3_TX_DATA : TX_DATA;
        this.txFrameData = txHeader + (vnet ? VNET_HEADER_LENGTH : 0);
        this.fd = fd;
        this.arena = arena;
        this.frameSize = geometry.frameSize();
        this.frameCount = geometry.frameCount();
        this.rxBlockSize = rxGeometry.blockSize();
        this.rxBlockCount = rxGeometry.blockCount();
        this.rxRing = rings.asSlice(0, rxGeometry.ringBytes());
        this.txRing = rings.asSlice(rxGeometry.ringBytes(), geometry.ringBytes());
        this.rxFrames = new MemorySegment[v3 ? 0 : frameCount];
        for (int i = 0; i < rxFrames.length; i++) {
            rxFrames[i] = rxRing.asSlice((long) i * frameSize, frameSize);
        }
    }

    /** Opens {@code device} with the default ring size, in the calling thread's network namespace. */
    public static AfPacketPort open(String device) throws LinuxException {
        return open(device, RingGeometry.DEFAULT);
    }

    /**
     * Opens {@code device} in the calling thread's network namespace (see {@link dev.algd.io.linux.Netns}).
     * The exception names the device and says what is missing: the device, a privilege, or kernel support.
     */
    public static AfPacketPort open(String device, RingGeometry geometry) throws LinuxException {
        return open(device, geometry, false);
    }

    /**
     * As {@link #open(String, RingGeometry)}, with {@code vnetHeaders}: PACKET_VNET_HDR on, so that GSO frames and
     * partial checksums pass (the geometry's frames should then hold 64 KiB, as {@link RingGeometry#GSO} does).
     */
    public static AfPacketPort open(String device, RingGeometry geometry, boolean vnetHeaders) throws LinuxException {
        return open(device, geometry, vnetHeaders, RxRing.FRAMES_V2);
    }

    /**
     * As {@link #open(String, RingGeometry, boolean)}, with the RX ring {@code rx}: with {@link RxRing#BLOCKS_V3}
     * the RX ring is {@link RingGeometry#V3_BLOCKS} and {@code geometry} sizes the TX ring alone.
     */
    public static AfPacketPort open(String device, RingGeometry geometry, boolean vnetHeaders, RxRing rx)
            throws LinuxException {
        RingGeometry rxGeometry = rx == RxRing.BLOCKS_V3 ? RingGeometry.V3_BLOCKS : geometry;
        int fd;
        try {
            fd = LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0, "socket(AF_PACKET, SOCK_RAW, 0)");
        } catch (LinuxException e) {
            if (e.errno() == LibC.EPERM || e.errno() == LibC.EACCES) {
                throw new LinuxException("opening a packet socket for interface '" + device
                        + "' needs CAP_NET_RAW (run algd as root): " + e.getMessage(), e.call(), e.errno());
            }
            throw e.withContext("opening a packet socket for interface '" + device + "'");
        }
        Arena arena = null;
        try {
            NetDevice net = NetDevice.inspect(fd, device, LOG);
            configure(fd, net, vnetHeaders, rx);
            arena = Arena.ofShared();
            MemorySegment rings = mapRings(fd, net, rxGeometry, geometry, rx, arena);
            bind(fd, net);
            LOG.log(System.Logger.Level.INFO, "opened AF_PACKET port on ''{0}'' (ifindex {1}, {2}, MTU {3},"
                    + " {4} x {5} B frames per ring{6})", device, Integer.toString(net.index()),
                    NetDevice.formatMac(net.macAddress()), Integer.toString(net.mtu()),
                    Integer.toString(geometry.frameCount()), Integer.toString(geometry.frameSize()),
                    (vnetHeaders ? ", vnet headers" : "") + (rx == RxRing.BLOCKS_V3 ? ", TPACKET_V3 RX ring of "
                    + rxGeometry.blockCount() + " x " + (rxGeometry.blockSize() >> 10) + " KiB blocks" : ""));
            return new AfPacketPort(net, fd, arena, rings, geometry, rxGeometry, vnetHeaders, rx);
        } catch (LinuxException | RuntimeException e) {
            if (arena != null) {
                arena.close();
            }
            LibC.close(fd);
            throw e;
        }
    }

    private static void configure(int fd, NetDevice net, boolean vnetHeaders, RxRing rx) throws LinuxException {
        String name = net.name();
        try {
            LibC.setsockoptInt(fd, LibC.SOL_PACKET, LibC.PACKET_VERSION,
                    rx == RxRing.BLOCKS_V3 ? LibC.TPACKET_V3 : LibC.TPACKET_V2, "PACKET_VERSION");
            LibC.setsockoptInt(fd, LibC.SOL_PACKET, LibC.PACKET_IGNORE_OUTGOING, 1, "PACKET_IGNORE_OUTGOING");
            LibC.setsockoptInt(fd, LibC.SOL_PACKET, LibC.PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS");
            LibC.setsockoptInt(fd, LibC.SOL_PACKET, LibC.PACKET_LOSS, 1, "PACKET_LOSS");
            if (vnetHeaders) {
                LibC.setsockoptInt(fd, LibC.SOL_PACKET, LibC.PACKET_VNET_HDR, 1, "PACKET_VNET_HDR");
            }
        } catch (LinuxException e) {
            throw e.withContext("configuring the packet socket of interface '" + name + "' (kernel too old?)");
        }
        raiseBuffer(fd, LibC.SO_RCVBUFFORCE, LibC.SO_RCVBUF, "SO_RCVBUFFORCE", name);
        raiseBuffer(fd, LibC.SO_SNDBUFFORCE, LibC.SO_SNDBUF, "SO_SNDBUFFORCE", name);
    }

    private static void raiseBuffer(int fd, int forced, int plain, String optionName, String device)
            throws LinuxException {
        try {
            LibC.setsockoptInt(fd, LibC.SOL_SOCKET, forced, SOCKET_BUFFER_BYTES, optionName);
        } catch (LinuxException e) {
            if (e.errno() != LibC.EPERM) {
                throw e.withContext("raising the socket buffer of interface '" + device + "'");
            }
            // Without CAP_NET_ADMIN the kernel caps SO_RCVBUF/SO_SNDBUF at net.core.[rw]mem_max.
            LOG.log(System.Logger.Level.WARNING, "interface ''{0}'': {1} needs CAP_NET_ADMIN; socket buffer left at"
                    + " the net.core limit, expect drops under load", device, optionName);
            LibC.setsockoptInt(fd, LibC.SOL_SOCKET, plain, SOCKET_BUFFER_BYTES, optionName + " fallback");
        }
    }

    private static MemorySegment mapRings(int fd, NetDevice net, RingGeometry rxGeometry, RingGeometry geometry,
            RxRing rx, Arena arena) throws LinuxException {
        try (Arena scratch = Arena.ofConfined()) {
            // struct tpacket_req (16 bytes): tp_block_size, tp_block_nr, tp_frame_size, tp_frame_nr (u32 each);
            // tpacket_req3 (28 bytes) adds tp_retire_blk_tov, tp_sizeof_priv, tp_feature_req_word (all 0 for TX).
            MemorySegment request = scratch.allocate(28, 4);
            ringRequest(request, rxGeometry);
            if (rx == RxRing.BLOCKS_V3) {
                request.set(ValueLayout.JAVA_INT, 16, V3_RETIRE_MILLIS);
            }
            LibC.setsockopt(fd, LibC.SOL_PACKET, LibC.PACKET_RX_RING, request, "PACKET_RX_RING");
            ringRequest(request, geometry);
            LibC.setsockopt(fd, LibC.SOL_PACKET, LibC.PACKET_TX_RING, request, "PACKET_TX_RING");
        } catch (LinuxException e) {
            throw e.withContext("setting up the rings of interface '" + net.name() + "'");
        }
        long length = rxGeometry.ringBytes() + geometry.ringBytes();
        MemorySegment address;
        try {
            address = LibC.mmap(length, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED | LibC.MAP_POPULATE, fd);
        } catch (LinuxException e) {
            throw e.withContext("mapping the " + (length >> 20) + " MiB of rings of interface '" + net.name() + "'");
        }
        // The shared arena unmaps on close, after every thread's access has ended; a late access then throws
        // IllegalStateException instead of touching unmapped memory.
        return address.reinterpret(length, arena, segment -> {
            try {
                LibC.munmap(segment, length);
            } catch (LinuxException e) {
                LOG.log(System.Logger.Level.ERROR, "unmapping the rings of '" + net.name() + "' failed", e);
            }
        });
    }

    private static void ringRequest(MemorySegment request, RingGeometry geometry) {
        request.fill((byte) 0);
        request.set(ValueLayout.JAVA_INT, 0, geometry.blockSize());
        request.set(ValueLayout.JAVA_INT, 4, geometry.blockCount());
        request.set(ValueLayout.JAVA_INT, 8, geometry.frameSize());
        request.set(ValueLayout.JAVA_INT, 12, geometry.frameCount());
    }

    private static void bind(int fd, NetDevice net) throws LinuxException {
        try (Arena scratch = Arena.ofConfined()) {
            // struct sockaddr_ll (20 bytes): family u16@0, protocol BE u16@2, ifindex i32@4, the rest zero
            MemorySegment address = scratch.allocate(20, 4);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) LibC.AF_PACKET);
            address.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 2,
                    (short) LibC.ETH_P_ALL);
            address.set(ValueLayout.JAVA_INT, 4, net.index());
            LibC.bind(fd, address);
        } catch (LinuxException e) {
            throw e.withContext("binding the packet socket to interface '" + net.name() + "'");
        }
    }

    /**
     * Joins this device's fanout group {@code group} (16 bits, per network namespace) as its next member, with
     * PACKET_FANOUT_CBPF: the group's classic BPF program picks the member of each frame (multi-worker data plane,
     * MULTICORE.md). The socket must be bound, which {@link #open} did.
     */
    public void joinFanout(int group) throws LinuxException {
        // The group's hook replaces the socket's own, so PACKET_IGNORE_OUTGOING no longer applies: the group needs
        // PACKET_FANOUT_FLAG_IGNORE_OUTGOING (Linux 6.2) to keep other senders' frames on the device out of algd.
        int flags = LibC.PACKET_FANOUT_CBPF | LibC.PACKET_FANOUT_FLAG_IGNORE_OUTGOING;
        try {
            try {
                LibC.setsockoptInt(fd, LibC.SOL_PACKET, LibC.PACKET_FANOUT, (group & 0xffff) | flags << 16,
                        "PACKET_FANOUT");
            } catch (LinuxException e) {
                if (e.errno() != LibC.EINVAL) {
                    throw e;
                }
                LOG.log(System.Logger.Level.WARNING, "interface ''{0}'': the kernel has no"
                        + " PACKET_FANOUT_FLAG_IGNORE_OUTGOING (before 6.2); frames other programs send on it reach"
                        + " algd too", device.name());
                LibC.setsockoptInt(fd, LibC.SOL_PACKET, LibC.PACKET_FANOUT, (group & 0xffff)
                        | LibC.PACKET_FANOUT_CBPF << 16, "PACKET_FANOUT");
            }
        } catch (LinuxException e) {
            throw e.withContext("joining fanout group " + group + " on interface '" + device.name() + "'");
        }
    }

    /** Sets (or replaces) the classic BPF program of this socket's fanout group: {@code fprog} is a sock_fprog. */
    public void fanoutProgram(MemorySegment fprog) throws LinuxException {
        try {
            LibC.setsockopt(fd, LibC.SOL_PACKET, LibC.PACKET_FANOUT_DATA, fprog, "PACKET_FANOUT_DATA");
        } catch (LinuxException e) {
            throw e.withContext("setting the fanout program of interface '" + device.name() + "'");
        }
    }

    @Override
    public String device() {
        return device.name();
    }

    public int interfaceIndex() {
        return device.index();
    }

    @Override
    public long macAddress() {
        return device.macAddress();
    }

    @Override
    public int mtu() {
        return device.mtu();
    }

    @Override
    public int pollFd() {
        return fd;
    }

    @Override
    public boolean nextReceived(ReceivedFrame frame) {
        if (v3) {
            return nextReceivedInBlock(frame);
        }
        long f = (long) rxHead * frameSize;
        int status = (int) STATUS.getAcquire(rxRing, f);
        if ((status & TP_STATUS_USER) == 0) {
            return false;
        }
        frame.segment = rxFrames[rxHead];
        int mac = rxRing.get(ValueLayout.JAVA_SHORT, f + TP_MAC) & 0xffff;
        frame.offset = mac;
        frame.length = rxRing.get(ValueLayout.JAVA_INT, f + TP_SNAPLEN);
        frame.wireLength = rxRing.get(ValueLayout.JAVA_INT, f + TP_LEN);
        readOffloads(frame, f, mac, status);
        frame.limit = 0;
        frame.packetType = rxRing.get(ValueLayout.JAVA_BYTE, f + SLL_PKTTYPE) & 0xff;
        return true;
    }

    /**
     * What the kernel says of the frame at {@code at} whose packet starts {@code mac} bytes in: GSO type and size and
     * a checksum to complete from the virtio-net header just before the packet (when vnet headers are on), a
     * checksum not ready and a stripped VLAN tag from the frame's status. The same for V2 frames and V3 packets.
     */
    private void readOffloads(ReceivedFrame frame, long at, int mac, int status) {
        boolean needsChecksum = false;
        if (vnet && mac >= VNET_HEADER_LENGTH) {
            long h = at + mac - VNET_HEADER_LENGTH;
            needsChecksum = VnetHeader.needsChecksum(rxRing, h);
            frame.gsoType = VnetHeader.gsoType(rxRing, h);
            frame.gsoSize = VnetHeader.gsoSize(rxRing, h);
        } else {
            frame.gsoType = ReceivedFrame.GSO_NONE;
            frame.gsoSize = 0;
        }
        frame.checksumNotReady = needsChecksum || (status & TP_STATUS_CSUMNOTREADY) != 0;
        frame.vlanTagStripped = (status & TP_STATUS_VLAN_VALID) != 0;
    }

    /** TPACKET_V3: the next packet of the block being read, or of the next block once the kernel retired it. */
    private boolean nextReceivedInBlock(ReceivedFrame frame) {
        if (rxBlockPackets == 0) {
            long b = (long) rxBlock * rxBlockSize;
            if (((int) STATUS.getAcquire(rxRing, b + V3_BLOCK_STATUS) & TP_STATUS_USER) == 0) {
                return false;
            }
            rxBlockPackets = rxRing.get(ValueLayout.JAVA_INT, b + V3_BLOCK_PACKETS);
            rxPacket = b + (rxRing.get(ValueLayout.JAVA_INT, b + V3_BLOCK_FIRST) & 0xffff_ffffL);
            if (rxBlockPackets == 0) {
                releaseBlock();
                return false;
            }
        }
        long p = rxPacket;
        long blockEnd = (long) (rxBlock + 1) * rxBlockSize;
        int next = rxRing.get(ValueLayout.JAVA_INT, p + V3_NEXT);
        int status = rxRing.get(ValueLayout.JAVA_INT, p + V3_STATUS);
        int mac = rxRing.get(ValueLayout.JAVA_SHORT, p + V3_MAC) & 0xffff;
        frame.segment = rxRing;
        frame.offset = p + mac;
        // The packet may grow (an ALG rewrite) up to where the next one starts, never into it.
        frame.limit = next != 0 && rxBlockPackets > 1 ? p + next : blockEnd;
        frame.length = rxRing.get(ValueLayout.JAVA_INT, p + V3_SNAPLEN);
        frame.wireLength = rxRing.get(ValueLayout.JAVA_INT, p + V3_LEN);
        readOffloads(frame, p, mac, status);
        frame.packetType = rxRing.get(ValueLayout.JAVA_BYTE, p + V3_PKTTYPE) & 0xff;
        rxTaken = next;
        return true;
    }

    @Override
    public void releaseReceived() {
        if (v3) {
            // The block goes back whole once its last packet is released; until then its packets stay put.
            rxPacket += rxTaken;
            if (--rxBlockPackets == 0) {
                releaseBlock();
            }
            return;
        }
        STATUS.setRelease(rxRing, (long) rxHead * frameSize, TP_STATUS_KERNEL);
        rxHead = rxHead + 1 == frameCount ? 0 : rxHead + 1;
    }

    private void releaseBlock() {
        STATUS.setRelease(rxRing, (long) rxBlock * rxBlockSize + V3_BLOCK_STATUS, TP_STATUS_KERNEL);
        rxBlock = rxBlock + 1 == rxBlockCount ? 0 : rxBlock + 1;
    }

    @Override
    public MemorySegment transmitBuffer() {
        return txRing;
    }

    @Override
    public int transmitCapacity() {
        return frameSize - (int) txFrameData;
    }

    @Override
    public boolean hasVnetHeaders() {
        return vnet;
    }

    @Override
    public void offloadNextTransmit(int gsoType, int gsoSize, int headerLength, int checksumStart,
            int checksumOffset) {
        nextOffloads.offloadNext(gsoType, gsoSize, headerLength, checksumStart, checksumOffset);
    }

    @Override
    public long reserveTransmit() {
        long f = (long) txHead * frameSize;
        int status = (int) STATUS.getAcquire(txRing, f + txStatus);
        if (status != TP_STATUS_AVAILABLE && status != TP_STATUS_WRONG_FORMAT) {
            return -1;
        }
        return f + txFrameData;
    }

    @Override
    public void commitTransmit(int length) {
        long f = (long) txHead * frameSize;
        if (vnet) {
            nextOffloads.writeNext(txRing, f + txHeader, 0);
            length += VNET_HEADER_LENGTH;
        }
        txRing.set(ValueLayout.JAVA_INT, f + txLen, length);
        STATUS.setRelease(txRing, f + txStatus, TP_STATUS_SEND_REQUEST);
        txHead = txHead + 1 == frameCount ? 0 : txHead + 1;
        txPending++;
    }

    @Override
    public boolean flushTransmit() {
        if (txPending == 0) {
            return true;
        }
        // Design note pitfall 4: one send(fd, NULL, 0, MSG_DONTWAIT) per batch sends every SEND_REQUEST frame.
        if (LibC.send(fd, MemorySegment.NULL, 0, LibC.MSG_DONTWAIT) < 0) {
            return false;
        }
        txPending = 0;
        return true;
    }

    @Override
    public long takeKernelDrops() {
        try (Arena scratch = Arena.ofConfined()) {
            // struct tpacket_stats: tp_packets u32, tp_drops u32; reading resets both.
            MemorySegment stats = scratch.allocate(8, 4);
            LibC.getsockopt(fd, LibC.SOL_PACKET, LibC.PACKET_STATISTICS, stats, "PACKET_STATISTICS");
            return stats.get(ValueLayout.JAVA_INT, 4) & 0xffff_ffffL;
        } catch (LinuxException e) {
            return 0;
        }
    }

    /** Reads and clears the socket's pending error ({@code SO_ERROR}); 0 when there was none. */
    @Override
    public int takeSocketError() {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment error = scratch.allocate(ValueLayout.JAVA_INT);
            LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_ERROR, error, "SO_ERROR");
            return error.get(ValueLayout.JAVA_INT, 0);
        } catch (LinuxException e) {
            return e.errno();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        arena.close();
        int error = LibC.close(fd);
        if (error != 0) {
            LOG.log(System.Logger.Level.WARNING, "closing the packet socket of ''{0}'': {1}", device.name(),
                    LibC.describeErrno(error));
        }
    }

    @Override
    public String toString() {
        return "AfPacketPort[" + device.name() + ", ifindex " + device.index() + "]";
    }
}
