package dev.algd.engine.packet;

/** The outcome of {@link Ipv4Header#validate(long)}: {@link #OK} or what is wrong with the header. */
public enum Ipv4Reason {
    OK,
    /** Fewer than 20 bytes, or fewer than the header length the IHL field announces. */
    TRUNCATED,
    /** The version field is not 4. */
    NOT_VERSION_4,
    /** RFC 791: IHL counts 32-bit words and the minimum header is 5 words. */
    HEADER_LENGTH_BELOW_5,
    /** Total length is below the header length or above the bytes received. */
    BAD_TOTAL_LENGTH,
    /** RFC 1812 §5.2.2: a router must verify the header checksum. */
    BAD_HEADER_CHECKSUM,
    /** More-fragments set or a non-zero fragment offset; reassembly is not supported yet. */
    FRAGMENT
}
