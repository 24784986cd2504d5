package dev.algd.engine;

import dev.algd.engine.packet.GreHeader;
import dev.algd.engine.packet.GreReason;
import dev.algd.engine.session.Direction;
import dev.algd.engine.session.SessionTable;
import java.lang.foreign.MemorySegment;

/**
 * What GRE (RFC 2784/2890) and PPTP's enhanced GRE (RFC 2637 §4.1) need beyond the generic session path, the same
 * for IPv4 ({@link Engine}) and IPv6 ({@link Ipv6DataPath}), which differ only in how they read addresses.
 * <p>
 * GRE has no ports. As in Linux conntrack ({@code nf_conntrack_proto_gre}), version 0 flows are told apart by their
 * addresses alone: the RFC 2890 key is not part of the session key, because each tunnel end chooses the key it
 * sends ({@code ikey}/{@code okey}), so a reply's key need not be the original's, and the key is carried untouched.
 * A PPTP (version 1) packet's call id is its receiver's, so it becomes the destination "port" and the source port
 * stays 0; a session's reply key starts without a call id and learns it from the first reply ({@link #learnCallId}).
 * Source NAT translates the address only: there is no port to allocate, so one inside host per translation address
 * and remote ({@link DropReason#GRE_REPLY_KEY_IN_USE}). The GRE checksum covers neither the addresses (RFC 2784
 * §2.5) nor, over IPv6, a pseudo-header, so translation changes the IP header only.
 */
final class GreSessions {
    private static final DropReason[] DROP_BY_GRE_REASON = new DropReason[GreReason.values().length];

    static {
        DROP_BY_GRE_REASON[GreReason.TRUNCATED.ordinal()] = DropReason.TRUNCATED_L4_HEADER;
        DROP_BY_GRE_REASON[GreReason.UNSUPPORTED_VERSION.ordinal()] = DropReason.GRE_UNSUPPORTED_VERSION;
        DROP_BY_GRE_REASON[GreReason.ROUTING_PRESENT.ordinal()] = DropReason.GRE_ROUTING_PRESENT;
        DROP_BY_GRE_REASON[GreReason.PPTP_BAD_FLAGS.ordinal()] = DropReason.GRE_BAD_PPTP_HEADER;
        DROP_BY_GRE_REASON[GreReason.PPTP_NOT_PPP.ordinal()] = DropReason.GRE_BAD_PPTP_HEADER;
    }

    private GreSessions() {
    }

    /**
     * Points {@code gre} at the header at {@code l4} and checks it against the {@code l4Length} bytes of the IP
     * payload: null when usable, else why the packet is dropped.
     */
    static DropReason validate(GreHeader gre, MemorySegment segment, long l4, int l4Length) {
        GreReason reason = gre.wrap(segment, l4).validate(l4Length);
        return reason == GreReason.OK ? null : DROP_BY_GRE_REASON[reason.ordinal()];
    }

    /** The destination "port" of a validated packet's session key: PPTP's call id (the receiver's), 0 for version 0. */
    static int destinationPort(GreHeader gre) {
        return gre.version() == GreHeader.VERSION_PPTP ? gre.callId() : 0;
    }

    /**
     * A PPTP packet with call id {@code callId} that no session knew by it was looked up again by its addresses alone
     * ({@code found}, the lookup's answer in {@code table}). A session's reply key found that way, whose original
     * direction has a call id, is a PPTP session waiting for its first reply (the originator's call id travels only in
     * replies): it learns this call id, so a later call between the same hosts gets a key of its own. A version 0
     * session between the same hosts simply takes the packet, as it would take any GRE between them. Returns
     * {@code found}.
     */
    static int learnCallId(SessionTable table, int found, int callId, long nowNanos) {
        if (found != SessionTable.NOT_FOUND && SessionTable.directionOf(found) == Direction.REPLY) {
            int slot = SessionTable.slotOf(found);
            if (table.destinationPort(slot, Direction.ORIGINAL) != 0) {
                table.learnReplyDestinationPort(slot, callId, nowNanos);
            }
        }
        return found;
    }

    /**
     * The source port of a new session's reply key: the original's destination port after NAT, but 0 for GRE, whose
     * keys never have a source port (a PPTP reply's call id is its key's destination port, learnt by
     * {@link #learnCallId}).
     */
    static int replySourcePort(int protocol, int destinationPortAfterNat) {
        return protocol == GreHeader.PROTOCOL ? 0 : destinationPortAfterNat;
    }

    /** Why a new session whose key clashed with a live one's is dropped. */
    static DropReason keyInUse(int protocol) {
        return protocol == GreHeader.PROTOCOL ? DropReason.GRE_REPLY_KEY_IN_USE : DropReason.SESSION_KEY_IN_USE;
    }
}
