package dev.algd.io;

import dev.algd.io.linux.LibC;
import dev.algd.io.linux.LinuxException;
import dev.algd.io.linux.NetDevice;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A {@link PacketPort} on a TUN device (IFF_TUN | IFF_NO_PI | IFF_VNET_HDR, kernel Documentation/networking/tuntap.rst), for
 * deployments where algd is a routed hop of its host: the host routes packets into the device, algd reads them as
 * received on that interface, and what algd sends on it is written back into the device, where the host's stack
 * receives it and routes it on. There is no link layer: no ARP, no neighbours, no MAC address.
 * <p>
 * The data plane speaks Ethernet frames, so the port frames what it reads: each packet is read 14 bytes into the
 * receive buffer and a synthetic Ethernet header (type from the IP version, addresses zero) is put in front; on
 * send, the header is dropped again and only the IP packet is written (its IPv4 total length, so the padding of a
 * short frame is not). {@link #isEthernet()} is false so that the interface sends no ARP and resolves no next hop.
 * <p>
 * One {@code read} per packet received, one {@code write} per packet sent, at once: TUN has no ring, and a write into
 * the device is the kernel's receive path, which does not block. Packets written while the kernel's backlog is full
 * are counted as drops.
 * <p>
 * Every packet, both ways, is preceded by a 10-byte {@code virtio_net_hdr} (IFF_VNET_HDR), and {@code TUNSETOFFLOAD}
 * offers the kernel checksum offload and IPv4 TSO: the host hands over GSO packets of up to 64 KiB with partial
 * checksums, and takes them back the same way, as with the AF_PACKET port's vnet headers. Its {@code csum_start} and
 * {@code hdr_len} count from the IP header (a TUN device has no link layer), so the port converts them from and to the
 * data plane's Ethernet offsets. The header sits in the 4 bytes before the synthetic Ethernet header ends, so the
 * packet is read and written in place with one call.
 * <p>
 * The device is attached if it exists (a persistent device made with {@code ip tuntap add NAME mode tun}, whose
 * routes survive algd's restarts) and created otherwise; a device algd created vanishes when the port closes.
 * <p>
 * Multi-queue ({@link #openQueues}, IFF_MULTI_QUEUE): each queue is a descriptor of its own, attached to the same
 * device, and each is a port of its own, for one worker each (a port is not thread-safe). The kernel spreads what
 * it routes into the device over the queues by flow hash, and takes what is written into any of them. A device
 * is either multi-queue or not for its whole life ({@code ip tuntap add NAME mode tun multi_queue} for a
 * persistent one); the kernel refuses to mix the two.
 */
public final class TunPort implements PacketPort {
    private static final System.Logger LOG = System.getLogger(TunPort.class.getName());

    /** {@code _IOW('T', 202, int)} from {@code <linux/if_tun.h>}. */
    static final long TUNSETIFF = 0x400454caL;
    static final short IFF_TUN = 0x0001;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_VNET_HDR = 0x4000;
    static final short IFF_MULTI_QUEUE = 0x0100;
    /** {@code MAX_TAP_QUEUES} of {@code <linux/if_tun.h>}'s driver: queues one device takes. */
    static final int MAX_QUEUES = 256;
    /** {@code _IOW('T', 208, unsigned int)}: the offloads the reader takes; the argument is the value itself. */
    static final long TUNSETOFFLOAD = 0x400454d0L;
    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;
    static final int VNET_HEADER_LENGTH = VnetHeader.LENGTH;
    /** Where the vnet header starts in the RX and TX buffers: it ends where the IP packet begins. */
    static final long VNET_AT = Ethernet.HEADER_LENGTH - VNET_HEADER_LENGTH;
    static final String CLONE_DEVICE = "/dev/net/tun";
    /** The largest IP packet a TUN device hands over, plus the synthetic Ethernet header. */
    static final int SLOT_BYTES = Ethernet.HEADER_LENGTH + 65_535;
    /** IPv6's EtherType, for the synthetic header; the data plane counts it as another EtherType today. */
    static final int TYPE_IPV6 = 0x86dd;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final NetDevice device;
    private final int fd;
    /** This port's queue of its device: 0, or 0 .. n-1 for one of {@link #openQueues}' n. */
    private final int queue;
    private final Arena arena;
    private final MemorySegment rx;
    private final MemorySegment rxPacket;
    private final MemorySegment tx;
    private final MemorySegment txPacket;
    private long writeFailures;
    private final VnetHeader nextOffloads = new VnetHeader();
    private boolean closed;

    private TunPort(NetDevice device, int fd, int queue, Arena arena) {
        this.device = device;
        this.fd = fd;
        this.queue = queue;
        this.arena = arena;
        this.rx = arena.allocate(SLOT_BYTES, 64);
        this.rxPacket = rx.asSlice(VNET_AT);
        this.tx = arena.allocate(SLOT_BYTES, 64);
        this.txPacket = tx.asSlice(VNET_AT);
    }

    /**
     * Attaches to (or creates) the TUN device {@code name} in the calling thread's network namespace. The exception
     * names the device and what is missing: the clone device, a privilege, or a device of that name that is no TUN.
     */
    public static TunPort open(String name) throws LinuxException {
        return open(name, false, 0);
    }

    /**
     * Attaches {@code count} queues (IFF_MULTI_QUEUE) of the TUN device {@code name}, creating it if needed: one
     * port per queue, for one worker each, in queue order. All or nothing: if one fails, those opened are closed.
     */
    public static java.util.List<TunPort> openQueues(String name, int count) throws LinuxException {
        if (count < 1 || count > MAX_QUEUES) {
            throw new IllegalArgumentException(count + " TUN queues: a device takes 1 to " + MAX_QUEUES);
        }
        java.util.List<TunPort> queues = new java.util.ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                queues.add(open(name, true, i));
            }
            return java.util.List.copyOf(queues);
        } catch (LinuxException | RuntimeException e) {
            queues.forEach(TunPort::close);
            throw e;
        }
    }

    /** One queue, {@code queue} (for the log), of a multi-queue device; or the one descriptor of a plain one. */
    static TunPort open(String name, boolean multiQueue, int queue) throws LinuxException {
        int fd;
        try {
            fd = LibC.open(CLONE_DEVICE, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        } catch (LinuxException e) {
            throw e.withContext("opening TUN device '" + name + "': " + (e.errno() == LibC.ENOENT
                    ? CLONE_DEVICE + " is missing (load the tun module, or give the container the device)"
                    : e.errno() == LibC.EPERM || e.errno() == LibC.EACCES ? "no access to " + CLONE_DEVICE
                    + " (run algd as root)" : "cannot open " + CLONE_DEVICE));
        }
        Arena arena = null;
        try {
            attach(fd, name, multiQueue);
            NetDevice net = inspect(name);
            arena = Arena.ofShared();
            LOG.log(System.Logger.Level.INFO, "opened TUN port on ''{0}'' (ifindex {1}, MTU {2}{3})", name,
                    Integer.toString(net.index()), Integer.toString(net.mtu()),
                    multiQueue ? ", queue " + queue : "");
            return new TunPort(net, fd, queue, arena);
        } catch (LinuxException | RuntimeException e) {
            if (arena != null) {
                arena.close();
            }
            LibC.close(fd);
            throw e;
        }
    }

    private static void attach(int fd, String name, boolean multiQueue) throws LinuxException {
        if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NetDevice.MAX_NAME_BYTES) {
            throw new LinuxException("'" + name + "' cannot be a Linux interface name (1 to " + NetDevice.MAX_NAME_BYTES
                    + " bytes)", "ioctl(TUNSETIFF)", LibC.EINVAL);
        }
        try (Arena scratch = Arena.ofConfined()) {
            // struct ifreq: ifr_name[16], then ifr_flags (short).
            MemorySegment ifreq = scratch.allocate(40);
            byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            MemorySegment.copy(bytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, bytes.length);
            ifreq.set(ValueLayout.JAVA_SHORT, 16,
                    (short) (IFF_TUN | IFF_NO_PI | IFF_VNET_HDR | (multiQueue ? IFF_MULTI_QUEUE : 0)));
            LibC.ioctl(fd, TUNSETIFF, ifreq, "TUNSETIFF");
            LibC.ioctl(fd, TUNSETOFFLOAD, MemorySegment.ofAddress(TUN_F_CSUM | TUN_F_TSO4), "TUNSETOFFLOAD");
        } catch (LinuxException e) {
            String why = switch (e.errno()) {
                case LibC.EPERM, LibC.EACCES -> "needs CAP_NET_ADMIN (run algd as root)";
                case LibC.EBUSY -> "another process has it open";
                case LibC.EINVAL -> "a device of that name exists and is not a TUN device, or is one "
                        + (multiQueue ? "without" : "with") + " multi_queue";
                default -> "the kernel refused";
            };
            throw e.withContext("attaching TUN device '" + name + "': " + why);
        }
    }

    /** The device's index and MTU (and up, if it was down), read through a throw-away socket of this namespace. */
    private static NetDevice inspect(String name) throws LinuxException {
        int socket = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0, "socket(AF_INET, SOCK_DGRAM)");
        try {
            return NetDevice.inspect(socket, name, NetDevice.ARPHRD_NONE, LOG);
        } finally {
            LibC.close(socket);
        }
    }

    @Override
    public String device() {
        return device.name();
    }

    /** TUN has no link layer: 0. */
    @Override
    public long macAddress() {
        return 0;
    }

    @Override
    public int mtu() {
        return device.mtu();
    }

    @Override
    public boolean isEthernet() {
        return false;
    }

    @Override
    public int pollFd() {
        return fd;
    }

    @Override
    public boolean nextReceived(ReceivedFrame frame) {
        long read = LibC.read(fd, rxPacket, rxPacket.byteSize());
        long n = read - VNET_HEADER_LENGTH;
        if (n <= 0) {
            return false;   // EAGAIN: nothing queued (errors show up in poll as POLLERR)
        }
        boolean needsChecksum = VnetHeader.needsChecksum(rx, VNET_AT);
        int gsoType = VnetHeader.gsoType(rx, VNET_AT);
        int gsoSize = VnetHeader.gsoSize(rx, VNET_AT);
        int version = (rx.get(ValueLayout.JAVA_BYTE, Ethernet.HEADER_LENGTH) & 0xf0) >>> 4;
        rx.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 0L);
        rx.set(ValueLayout.JAVA_INT_UNALIGNED, 8, 0);
        rx.set(U16, 12, (short) (version == 4 ? Ethernet.TYPE_IPV4 : version == 6 ? TYPE_IPV6 : 0));
        frame.segment = rx;
        frame.offset = 0;
        frame.limit = 0;
        frame.length = Ethernet.HEADER_LENGTH + (int) n;
        frame.wireLength = frame.length;
        frame.checksumNotReady = needsChecksum;
        frame.gsoType = gsoType;
        frame.gsoSize = gsoType == ReceivedFrame.GSO_NONE ? 0 : gsoSize;
        frame.vlanTagStripped = false;
        frame.packetType = ReceivedFrame.PACKET_HOST;
        return true;
    }

    @Override
    public void releaseReceived() {
        // The buffer is reused by the next read.
    }

    @Override
    public MemorySegment transmitBuffer() {
        return tx;
    }

    @Override
    public int transmitCapacity() {
        return SLOT_BYTES;
    }

    /** One slot: {@link #commitTransmit} writes it at once, so it is always free again. */
    @Override
    public long reserveTransmit() {
        return 0;
    }

    @Override
    public void commitTransmit(int length) {
        int type = Short.toUnsignedInt(tx.get(U16, 12));
        int packetLength = length - Ethernet.HEADER_LENGTH;
        if (type == Ethernet.TYPE_IPV4 && packetLength >= 20) {
            packetLength = Math.min(packetLength, Short.toUnsignedInt(tx.get(U16, Ethernet.HEADER_LENGTH + 2)));
        } else if (type != TYPE_IPV6 || packetLength <= 0) {
            return;   // nothing but IP goes into a TUN device; the data plane sends no ARP here
        }
        // The vnet header overwrites the end of the Ethernet header, which was read above and is not sent.
        nextOffloads.writeNext(tx, VNET_AT, Ethernet.HEADER_LENGTH);
        long total = packetLength + VNET_HEADER_LENGTH;
        if (LibC.write(fd, txPacket, total) != total) {
            writeFailures++;
        }
    }

    @Override
    public boolean hasVnetHeaders() {
        return true;
    }

    @Override
    public void offloadNextTransmit(int gsoType, int gsoSize, int headerLength, int checksumStart,
            int checksumOffset) {
        nextOffloads.offloadNext(gsoType, gsoSize, headerLength, checksumStart, checksumOffset);
    }

    @Override
    public boolean flushTransmit() {
        return true;
    }

    /** Packets the kernel refused to take (its backlog full), since the last call. */
    @Override
    public long takeKernelDrops() {
        long failures = writeFailures;
        writeFailures = 0;
        return failures;
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
            LOG.log(System.Logger.Level.WARNING, "closing the TUN device ''{0}'': {1}", device.name(),
                    LibC.describeErrno(error));
        }
    }

    /** This port's queue of its device (0 for a single-queue device). */
    public int queue() {
        return queue;
    }

    @Override
    public String toString() {
        return "TunPort[" + device.name() + ", ifindex " + device.index() + ", queue " + queue + "]";
    }
}
