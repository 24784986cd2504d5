package dev.algd.engine;

/**
 * What to do with a packet after {@link Engine#process}. FORWARD also covers replies the engine wrote in place
 * (an ICMP echo reply to algd's own address: egress = ingress). Why a packet was dropped is counted by
 * {@link DropReason}.
 */
public enum Verdict {
    FORWARD, DROP
}
