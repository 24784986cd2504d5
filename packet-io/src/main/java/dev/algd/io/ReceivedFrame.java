package dev.algd.io;

import java.lang.foreign.MemorySegment;

/**
 * A view of one received Ethernet frame, filled by {@link PacketPort#nextReceived} and reused for every frame.
 * The frame may be rewritten in place: {@link #segment} covers the whole buffer the frame sits in, so a packet may
 * grow up to {@code segment.byteSize()}, or up to {@link #limit} when that is set.
 */
public final class ReceivedFrame {
    /** The frame's buffer; its size bounds how far the frame may grow in place. */
    public MemorySegment segment;
    /** Where the Ethernet header starts in {@link #segment}. */
    public long offset;
    /**
     * Where the frame's room in {@link #segment} ends, when other frames follow it there (a TPACKET_V3 block); 0:
     * at the segment's end.
     */
    public long limit;
    /** Bytes captured, from {@link #offset}. */
    public int length;
    /** Bytes the frame had on the wire; more than {@link #length} when the buffer truncated it (GSO/GRO frames). */
    public int wireLength;
    /** The kernel left the TCP/UDP checksum to be completed (CHECKSUM_PARTIAL from a veth/tap sender). */
    public boolean checksumNotReady;
    /**
     * {@code virtio_net_hdr.gso_type} of a port with vnet headers: {@link #GSO_NONE}, or the kind of segmentation
     * ({@link #GSO_TCPV4}, ...) of a GSO/GRO frame longer than the MTU, cut into {@link #gsoSize}-byte payloads on
     * egress. Always {@link #GSO_NONE} on other ports.
     */
    public int gsoType;
    /** {@code virtio_net_hdr.gso_size}: payload bytes per segment when {@link #gsoType} is not {@link #GSO_NONE}. */
    public int gsoSize;
    /** The NIC or the kernel stripped an 802.1Q tag and reported it beside the frame. */
    public boolean vlanTagStripped;
    /** {@code sll_pkttype}: {@link #PACKET_HOST}, {@link #PACKET_BROADCAST}, {@link #PACKET_MULTICAST}, {@link #PACKET_OTHERHOST}. */
    public int packetType;

    /** {@code <linux/virtio_net.h>} gso_type values (without the ECN bit 0x80). */
    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP_L4 = 5;

    /** {@code <linux/if_packet.h>} packet types. */
    public static final int PACKET_HOST = 0;
    public static final int PACKET_BROADCAST = 1;
    public static final int PACKET_MULTICAST = 2;
    public static final int PACKET_OTHERHOST = 3;
}
