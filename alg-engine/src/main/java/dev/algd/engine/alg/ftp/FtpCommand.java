package dev.algd.engine.alg.ftp;

import dev.algd.engine.alg.AlgAddress;

/**
 * One line {@link FtpCommandParser} recognised, as values and offsets into the parsed segment. One per ALG, reused
 * for every line. The span {@code [spanFrom, spanTo)} is the text the ALG replaces:
 * <pre>
 *  PORT 192,168,1,10,38,91\r\n            227 Entering Passive Mode (2,2,2,11,38,91).\r\n
 *       ^spanFrom         ^spanTo                                    ^spanFrom       ^spanTo
 *  EPRT |1|192.168.1.10|9819|\r\n         229 Entering Extended Passive Mode (|||9819|)\r\n
 *          ^spanFrom        ^spanTo                                               ^    ^
 * </pre>
 */
final class FtpCommand {
    /** The four messages, named as in RFC 959 and RFC 2428. */
    enum Kind {
        /** {@code PORT h1,h2,h3,h4,p1,p2} from the client (RFC 959 §4.1.2). */
        PORT_COMMAND,
        /** {@code EPRT <d><af><d><address><d><port><d>} from the client (RFC 2428 §2). */
        EPRT_COMMAND,
        /** {@code 227 ... h1,h2,h3,h4,p1,p2 ...} from the server (RFC 959 §4.2, RFC 1123 §4.1.2.6). */
        PASV_REPLY,
        /** {@code 229 ... (<d><d><d><port><d>)} from the server (RFC 2428 §3). */
        EPSV_REPLY
    }

    static final int FAMILY_NONE = 0;
    static final int FAMILY_IPV4 = 1;
    static final int FAMILY_IPV6 = 2;

    Kind kind;
    /** {@link #FAMILY_IPV4} for PORT and 227, the EPRT network protocol, {@link #FAMILY_NONE} for 229. */
    int family;
    /** The IPv4 address, host order. */
    int address;
    /** The IPv6 address of an EPRT |2|, high and low 64 bits. */
    long addressHigh;
    long addressLow;
    int port;
    /** The EPRT or 229 delimiter. */
    byte delimiter;
    long spanFrom;
    long spanTo;
    /** Where the next line starts: after the LF, or the end of the range when the line has none. */
    long lineEnd;

    /** The address's high 64 bits in {@link AlgAddress} form (an IPv4 one mapped). */
    long high() {
        return family == FAMILY_IPV6 ? addressHigh : AlgAddress.IPV4_HIGH;
    }

    /** The address's low 64 bits in {@link AlgAddress} form. */
    long low() {
        return family == FAMILY_IPV6 ? addressLow : AlgAddress.ipv4Low(address);
    }

    FtpCommand clear() {
        kind = null;
        family = FAMILY_NONE;
        address = 0;
        addressHigh = 0;
        addressLow = 0;
        port = 0;
        delimiter = 0;
        spanFrom = 0;
        spanTo = 0;
        lineEnd = 0;
        return this;
    }
}
