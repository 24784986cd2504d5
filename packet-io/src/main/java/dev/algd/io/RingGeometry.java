package dev.algd.io;

/**
 * The size of one TPACKET ring (RX and TX each get one). Frames never straddle blocks because the block size is a
 * multiple of the frame size, so frame {@code i} starts at {@code i * frameSize}.
 *
 * @param blockSize bytes per block, a multiple of the page size and of {@code frameSize}
 * @param blockCount blocks per ring
 * @param frameSize bytes per frame slot, including the 32-byte tpacket2_hdr and the sockaddr_ll
 */
public record RingGeometry(int blockSize, int blockCount, int frameSize) {
    /**
     * Design note packet-io.md: 64 KiB x 64 blocks of 2048-byte frames, 2048 frames (4 MiB) per ring. A 2048-byte
     * slot holds an Ethernet frame of up to 1982 bytes on receive (data at offset 66) and 2016 on send (offset 32).
     */
    public static final RingGeometry DEFAULT = new RingGeometry(64 * 1024, 64, 2048);
    /**
     * For ports with vnet headers: 68 KiB frames, so that a 64 KiB GSO/GRO frame fits with its headers (RX data at
     * offset 76 behind the vnet header), 256 per ring (17 MiB). Fewer frames than {@link #DEFAULT}: a burst of small
     * packets finds room for 256.
     */
    public static final RingGeometry GSO = new RingGeometry(68 * 1024, 256, 68 * 1024);
    /**
     * A TPACKET_V3 RX ring ({@link AfPacketPort.RxRing#BLOCKS_V3}): 16 blocks of 1 MiB, as much memory as
     * {@link #GSO}. Packets are packed into a block, so one holds about 15 GSO frames of 64 KiB or 650 MTU-size
     * ones; the frame size only satisfies the kernel's checks (block size a multiple of it).
     */
    public static final RingGeometry V3_BLOCKS = new RingGeometry(1 << 20, 16, 64 * 1024);

    public RingGeometry {
        if (frameSize < 128 || frameSize % 16 != 0) {
            throw new IllegalArgumentException("frame size " + frameSize + " must be a multiple of 16 and at least 128");
        }
        if (blockSize < frameSize || blockSize % 4096 != 0 || blockSize % frameSize != 0) {
            throw new IllegalArgumentException("block size " + blockSize
                    + " must be a multiple of the 4096-byte page and of the frame size " + frameSize);
        }
        if (blockCount < 1 || (long) blockSize * blockCount > 1L << 30) {
            throw new IllegalArgumentException("block count " + blockCount + " must give a ring of 1 GiB at most");
        }
    }

    public int frameCount() {
        return blockSize / frameSize * blockCount;
    }

    public long ringBytes() {
        return (long) blockSize * blockCount;
    }
}
