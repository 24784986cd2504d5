package dev.algd.io;

import java.lang.foreign.MemorySegment;

/**
 * One network device seen as two batches of Ethernet frames: frames to take and release in order, and frames to
 * fill and push. This is the seam for other back-ends (TUN, AF_XDP, PACKET_VNET_HDR rings): the data plane only
 * calls these methods, always from its one worker thread, and never allocates around them.
 * <p>
 * Receive: {@link #nextReceived} fills the view with the oldest frame not yet taken; {@link #releaseReceived} hands
 * it back. At most one frame is taken at a time. Transmit: {@link #reserveTransmit} returns where to write a frame
 * in {@link #transmitBuffer()}, {@link #commitTransmit} queues it, and {@link #flushTransmit} (once per batch) makes
 * the kernel send what was queued.
 */
public interface PacketPort extends AutoCloseable {

    /** The Linux device name. */
    String device();

    /** The device's Ethernet address (48 bits, first octet most significant). */
    long macAddress();

    /**
     * Whether the device has an Ethernet link layer (AF_PACKET ports). A port without one (TUN) still frames what it
     * hands over with a synthetic Ethernet header, but its interface sends no ARP and resolves no next hop.
     */
    default boolean isEthernet() {
        return true;
    }

    /** The largest IP packet the device sends, without the Ethernet header. */
    int mtu();

    /** A descriptor that polls readable when frames arrive, or -1 if the port cannot be polled. */
    int pollFd();

    /** Fills {@code frame} with the next received frame; false when there is none. */
    boolean nextReceived(ReceivedFrame frame);

    /** Returns the frame taken by the last {@link #nextReceived} to the kernel. */
    void releaseReceived();

    /** The buffer that {@link #reserveTransmit} offsets point into. */
    MemorySegment transmitBuffer();

    /** The most bytes one transmitted frame may have. */
    int transmitCapacity();

    /** Reserves a frame to send; returns its offset in {@link #transmitBuffer()}, or -1 when all are in flight. */
    long reserveTransmit();

    /** Queues the reserved frame, {@code length} bytes long, for sending. */
    void commitTransmit(int length);

    /** Asks the kernel to send every committed frame; returns false when it refused (the frames stay queued). */
    boolean flushTransmit();

    /** Frames the kernel dropped because the receive buffer was full, since the last call (reading resets it). */
    long takeKernelDrops();

    /** Reads and clears the error the device reported through poll (an errno, e.g. ENETDOWN), or 0. */
    default int takeSocketError() {
        return 0;
    }

    /** Releases the socket and its buffers. The port must not be used afterwards. */
    @Override
    void close();
}
