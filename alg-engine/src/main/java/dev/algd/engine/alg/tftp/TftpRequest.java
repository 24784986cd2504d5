package dev.algd.engine.alg.tftp;

/**
 * One RRQ or WRQ as {@link TftpRequestParser} found it, as offsets into the parsed segment (RFC 1350 §5, RFC 2347):
 * <pre>
 *   2 bytes     string    1 byte     string   1 byte   string  1 byte  string  1 byte
 *  +--------+-----------+--------+---------+--------+ +-------+------+-------+------+ ...
 *  | opcode |  filename |   0    |  mode   |   0    | |  opt1 |  0   | value1|  0   |
 *  +--------+-----------+--------+---------+--------+ +-------+------+-------+------+ ...
 * </pre>
 * One per ALG, reused for every packet.
 */
final class TftpRequest {
    static final int OPCODE_RRQ = 1;
    static final int OPCODE_WRQ = 2;

    int opcode;
    long filenameOffset;
    int filenameLength;
    long modeOffset;
    int modeLength;
    /** Option name/value pairs after the mode (RFC 2347); passed on untouched. */
    int optionCount;

    TftpRequest clear() {
        opcode = 0;
        filenameOffset = 0;
        filenameLength = 0;
        modeOffset = 0;
        modeLength = 0;
        optionCount = 0;
        return this;
    }
}
