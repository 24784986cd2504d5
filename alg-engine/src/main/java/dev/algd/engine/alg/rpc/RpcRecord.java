package dev.algd.engine.alg.rpc;

/**
 * One TCP record as {@link RpcMessageParser#parseRecord} found it (RFC 5531 §11, record marking): one or more
 * fragments, each a 4-byte header (bit 31 set on the last fragment, bits 0..30 the fragment's length) and its bytes.
 * <pre>
 *  +---------------------+----------------+---------------------+----------------+
 *  | 0 | length0 (31 bits) | fragment 0 ... | 1 | length1 (31 bits) | fragment 1 ... |
 *  +---------------------+----------------+---------------------+----------------+
 * </pre>
 * One per ALG, reused.
 */
final class RpcRecord {
    /** Where the record starts (its first header) and where the next one starts. */
    long start;
    long end;
    /** The message's length: the fragments' lengths added up. */
    int messageLength;
    int fragments;

    RpcRecord clear() {
        start = 0;
        end = 0;
        messageLength = 0;
        fragments = 0;
        return this;
    }
}
