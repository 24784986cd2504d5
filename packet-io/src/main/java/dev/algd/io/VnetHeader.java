package dev.algd.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The virtio-net header ({@code struct virtio_net_hdr}, 10 bytes, host byte order) in front of each packet of an
 * AF_PACKET socket with PACKET_VNET_HDR and of a TUN device with IFF_VNET_HDR: how both back-ends read a received
 * packet's offloads and write the offloads {@link PacketPort#offloadNextTransmit} asked for the next one.
 */
final class VnetHeader {
    static final int LENGTH = 10;
    static final int F_NEEDS_CSUM = 1;

    private int gsoType;
    private int gsoSize;
    private int headerLength;
    private int checksumStart;
    private int checksumOffset;

    static boolean needsChecksum(MemorySegment segment, long at) {
        return (segment.get(ValueLayout.JAVA_BYTE, at) & F_NEEDS_CSUM) != 0;
    }

    /** The GSO type without its ECN bit (0x80). */
    static int gsoType(MemorySegment segment, long at) {
        return segment.get(ValueLayout.JAVA_BYTE, at + 1) & 0x7f;
    }

    static int gsoSize(MemorySegment segment, long at) {
        return segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + 4) & 0xffff;
    }

    /** Remembers the next packet's offloads, offsets counted from the start of its Ethernet header. */
    void offloadNext(int gsoType, int gsoSize, int headerLength, int checksumStart, int checksumOffset) {
        this.gsoType = gsoType;
        this.gsoSize = gsoSize;
        this.headerLength = headerLength;
        this.checksumStart = checksumStart;
        this.checksumOffset = checksumOffset;
    }

    /**
     * Writes the remembered offloads at {@code at} for a packet sent without its first {@code linkHeaderStripped}
     * bytes (a TUN device takes the IP packet alone), then forgets them: no offload without a checksum to complete.
     */
    void writeNext(MemorySegment segment, long at, int linkHeaderStripped) {
        boolean offload = checksumStart != 0 && checksumStart >= linkHeaderStripped;
        segment.set(ValueLayout.JAVA_BYTE, at, (byte) (offload ? F_NEEDS_CSUM : 0));
        segment.set(ValueLayout.JAVA_BYTE, at + 1, (byte) (offload ? gsoType : ReceivedFrame.GSO_NONE));
        segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + 2,
                (short) (offload ? headerLength - linkHeaderStripped : 0));
        segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + 4, (short) (offload ? gsoSize : 0));
        segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + 6,
                (short) (offload ? checksumStart - linkHeaderStripped : 0));
        segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + 8, (short) (offload ? checksumOffset : 0));
        offloadNext(ReceivedFrame.GSO_NONE, 0, 0, 0, 0);
    }
}
