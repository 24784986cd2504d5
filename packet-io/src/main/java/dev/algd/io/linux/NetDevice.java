package dev.algd.io.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A Linux network device as packet I/O sees it when it opens a port: its index, Ethernet address and MTU, all
 * read with {@code ioctl} on a socket, so they come from that socket's network namespace.
 *
 * <pre>
 * struct ifreq (40 bytes, &lt;net/if.h&gt;):
 *   0  ifr_name[IFNAMSIZ = 16]   NUL-terminated device name
 *  16  union: ifr_flags (short) | ifr_mtu (int) | ifr_hwaddr (struct sockaddr: sa_family u16@16, sa_data@18)
 * </pre>
 *
 * @param name the device name, e.g. {@code eth0}
 * @param index the interface index ({@code if_nametoindex})
 * @param macAddress the 48-bit Ethernet address in the low bits, first octet most significant
 * @param mtu the device MTU (the largest IP packet, without the Ethernet header)
 */
public record NetDevice(String name, int index, long macAddress, int mtu) {
    /** IFNAMSIZ - 1: a device name has at most 15 bytes. */
    public static final int MAX_NAME_BYTES = 15;

    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final long SIOCGIFMTU = 0x8921;
    private static final long SIOCGIFHWADDR = 0x8927;
    private static final int IFREQ_SIZE = 40;
    private static final long IFR_UNION = 16;
    private static final long IFR_HWADDR_DATA = 18;
    private static final short IFF_UP = 0x1;
    /** {@code <linux/if_arp.h>}: Ethernet (veth, physical NICs, bridges). */
    public static final int ARPHRD_ETHER = 1;
    /** {@code <linux/if_arp.h>}: no link-layer header, what a TUN device (IFF_TUN) reports. */
    public static final int ARPHRD_NONE = 0xFFFE;

    /**
     * Looks up {@code name} through the socket {@code fd} (any socket of the right namespace) and brings the device
     * up if it is down.
     *
     * @return the device; throws an exception that names the device and the reason when it cannot be used
     */
    public static NetDevice inspect(int fd, String name, System.Logger log) throws LinuxException {
        return inspect(fd, name, ARPHRD_ETHER, log);
    }

    /**
     * As {@link #inspect(int, String, System.Logger)}, for a device of {@code hardwareType}: {@link #ARPHRD_ETHER}
     * or {@link #ARPHRD_NONE} (a TUN device, whose Ethernet address is then 0).
     */
    public static NetDevice inspect(int fd, String name, int hardwareType, System.Logger log) throws LinuxException {
        checkName(name);
        int index = LibC.ifNameToIndex(name);
        if (index == 0) {
            throw new LinuxException("interface '" + name + "' does not exist in the network namespace algd runs in"
                    + " (see 'ip link show')", "if_nametoindex", LibC.ENODEV);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifreq = ifreq(arena, name);
            ioctl(fd, SIOCGIFHWADDR, ifreq, "SIOCGIFHWADDR", name);
            int actualType = ifreq.get(ValueLayout.JAVA_SHORT, IFR_UNION) & 0xffff;
            if (actualType != hardwareType) {
                throw new LinuxException(hardwareType == ARPHRD_ETHER
                        ? "interface '" + name + "' is not an Ethernet device (ARPHRD " + actualType
                                + "); AF_PACKET ports need Ethernet framing"
                                + (actualType == ARPHRD_NONE ? " (a TUN device: give it to algd with --tun " + name + ")" : "")
                        : "interface '" + name + "' is not a TUN device (ARPHRD " + actualType + ")",
                        "ioctl(SIOCGIFHWADDR)", LibC.EINVAL);
            }
            long mac = 0;
            for (int i = 0; hardwareType == ARPHRD_ETHER && i < 6; i++) {
                mac = mac << 8 | (ifreq.get(ValueLayout.JAVA_BYTE, IFR_HWADDR_DATA + i) & 0xff);
            }
            ifreq = ifreq(arena, name);
            ioctl(fd, SIOCGIFMTU, ifreq, "SIOCGIFMTU", name);
            int mtu = ifreq.get(ValueLayout.JAVA_INT, IFR_UNION);

            ifreq = ifreq(arena, name);
            ioctl(fd, SIOCGIFFLAGS, ifreq, "SIOCGIFFLAGS", name);
            short flags = ifreq.get(ValueLayout.JAVA_SHORT, IFR_UNION);
            if ((flags & IFF_UP) == 0) {
                ifreq.set(ValueLayout.JAVA_SHORT, IFR_UNION, (short) (flags | IFF_UP));
                try {
                    LibC.ioctl(fd, SIOCSIFFLAGS, ifreq, "SIOCSIFFLAGS");
                } catch (LinuxException e) {
                    throw e.withContext("interface '" + name + "' is down and bringing it up failed"
                            + (e.errno() == LibC.EPERM ? " (needs CAP_NET_ADMIN: run algd as root)" : ""));
                }
                log.log(System.Logger.Level.INFO, "interface ''{0}'' was down; brought it up", name);
            }
            return new NetDevice(name, index, mac, mtu);
        }
    }

    private static void checkName(String name) throws LinuxException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_NAME_BYTES || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new LinuxException("'" + name + "' cannot be a Linux interface name (1 to " + MAX_NAME_BYTES
                    + " bytes, no '/')", "if_nametoindex", LibC.EINVAL);
        }
    }

    private static MemorySegment ifreq(Arena arena, String name) {
        MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(bytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return ifreq;
    }

    private static void ioctl(int fd, long request, MemorySegment ifreq, String requestName, String device)
            throws LinuxException {
        try {
            LibC.ioctl(fd, request, ifreq, requestName);
        } catch (LinuxException e) {
            throw e.withContext("reading interface '" + device + "'");
        }
    }

    /** The address as {@code 02:00:5e:10:00:01}. */
    public static String formatMac(long mac) {
        StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int octet = (int) (mac >>> shift) & 0xff;
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xf, 16));
            if (shift > 0) {
                text.append(':');
            }
        }
        return text.toString();
    }
}
