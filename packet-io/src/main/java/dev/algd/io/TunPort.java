package dev.algd.io;

import dev.algd.io.linux.LibC;
import dev.algd.io.linux.LinuxException;
import dev.algd.io.linux.NetDevice;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A {@link PacketPort} on a TUN device (IFF_TUN | IFF_NO_PI, kernel Documentation/networking/tuntap.rst), for
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
 * are counted as drops. Without IFF_VNET_HDR the kernel completes checksums and segments GSO packets before handing
 * them to the device, so every packet is whole and checksummed (see README, "TUN back-end").
 * <p>
 * The device is attached if it exists (a persistent device made with {@code ip tuntap add NAME mode tun}, whose
 * routes survive algd's restarts) and created otherwise; a device algd created vanishes when the port closes.
 */
public final class TunPort implements PacketPort {
    private static final System.Logger LOG = System.getLogger(TunPort.class.getName());

    /** {@code _IOW('T', 202, int)} from {@code <linux/if_tun.h>}. */
    static final long TUNSETIFF = 0x400454caL;
    static final short IFF_TUN = 0x0001;
    static final short IFF_NO_PI = 0x1000;
    static final String CLONE_DEVICE = "/dev/net/tun";
    /** The largest IP packet a TUN device hands over, plus the synthetic Ethernet header. */
    static final int SLOT_BYTES = Ethernet.HEADER_LENGTH + 65_535;
    /** IPv6's EtherType, for the synthetic header; the data plane counts it as another EtherType today. */
    static final int TYPE_IPV6 = 0x86dd;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final NetDevice device;
    private final int fd;
    private final Arena arena;
    private final MemorySegment rx;
    private final MemorySegment rxPacket;
    private final MemorySegment tx;
    private final MemorySegment txPacket;
    private long writeFailures;
    private boolean closed;

    private TunPort(NetDevice device, int fd, Arena arena) {
        this.device = device;
        this.fd = fd;
        this.arena = arena;
        this.rx = arena.allocate(SLOT_BYTES, 64);
        this.rxPacket = rx.asSlice(Ethernet.HEADER_LENGTH);
        this.tx = arena.allocate(SLOT_BYTES, 64);
        this.txPacket = tx.asSlice(Ethernet.HEADER_LENGTH);
    }

    /**
     * Attaches to (or creates) the TUN device {@code name} in the calling thread's network namespace. The exception
     * names the device and what is missing: the clone device, a privilege, or a device of that name that is no TUN.
     */
    public static TunPort open(String name) throws LinuxException {
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
            attach(fd, name);
            NetDevice net = inspect(name);
            arena = Arena.ofShared();
            LOG.log(System.Logger.Level.INFO, "opened TUN port on ''{0}'' (ifindex {1}, MTU {2})", name,
                    Integer.toString(net.index()), Integer.toString(net.mtu()));
            return new TunPort(net, fd, arena);
        } catch (LinuxException | RuntimeException e) {
            if (arena != null) {
                arena.close();
            }
            LibC.close(fd);
            throw e;
        }
    }

    private static void attach(int fd, String name) throws LinuxException {
        if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NetDevice.MAX_NAME_BYTES) {
            throw new LinuxException("'" + name + "' cannot be a Linux interface name (1 to " + NetDevice.MAX_NAME_BYTES
                    + " bytes)", "ioctl(TUNSETIFF)", LibC.EINVAL);
        }
        try (Arena scratch = Arena.ofConfined()) {
            // struct ifreq: ifr_name[16], then ifr_flags (short).
            MemorySegment ifreq = scratch.allocate(40);
            byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            MemorySegment.copy(bytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, bytes.length);
            ifreq.set(ValueLayout.JAVA_SHORT, 16, (short) (IFF_TUN | IFF_NO_PI));
            LibC.ioctl(fd, TUNSETIFF, ifreq, "TUNSETIFF");
        } catch (LinuxException e) {
            String why = switch (e.errno()) {
                case LibC.EPERM, LibC.EACCES -> "needs CAP_NET_ADMIN (run algd as root)";
                case LibC.EBUSY -> "another process has it open";
                case LibC.EINVAL -> "a device of that name exists and is not a TUN device";
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
        long n = LibC.read(fd, rxPacket, rxPacket.byteSize());
        if (n <= 0) {
            return false;   // EAGAIN: nothing queued (errors show up in poll as POLLERR)
        }
        int version = (rx.get(ValueLayout.JAVA_BYTE, Ethernet.HEADER_LENGTH) & 0xf0) >>> 4;
        rx.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 0L);
        rx.set(ValueLayout.JAVA_INT_UNALIGNED, 8, 0);
        rx.set(U16, 12, (short) (version == 4 ? Ethernet.TYPE_IPV4 : version == 6 ? TYPE_IPV6 : 0));
        frame.segment = rx;
        frame.offset = 0;
        frame.length = Ethernet.HEADER_LENGTH + (int) n;
        frame.wireLength = frame.length;
        frame.checksumNotReady = false;
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
        if (LibC.write(fd, txPacket, packetLength) != packetLength) {
            writeFailures++;
        }
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

    @Override
    public String toString() {
        return "TunPort[" + device.name() + ", ifindex " + device.index() + "]";
    }
}
