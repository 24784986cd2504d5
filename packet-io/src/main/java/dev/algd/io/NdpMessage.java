package dev.algd.io;

/** A neighbour solicitation or advertisement, as {@link Ndp#parse} read it; reused for every packet. */
public final class NdpMessage {
    /** {@link Ndp#TYPE_NEIGHBOUR_SOLICITATION} or {@link Ndp#TYPE_NEIGHBOUR_ADVERTISEMENT}. */
    public int type;
    public long sourceHigh;
    public long sourceLow;
    public long destinationHigh;
    public long destinationLow;
    public long targetHigh;
    public long targetLow;
    /** The source (NS) or target (NA) link-layer address option, or {@link NeighbourTable#NO_MAC}. */
    public long linkLayerAddress;
    /** NA only: the solicited flag. */
    public boolean isSolicited;

    /** Whether the source is the unspecified address (a duplicate address detection probe, RFC 4862 §5.4.2). */
    public boolean isFromUnspecified() {
        return sourceHigh == 0 && sourceLow == 0;
    }
}
