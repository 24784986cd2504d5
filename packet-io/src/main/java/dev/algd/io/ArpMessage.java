package dev.algd.io;

import dev.algd.engine.config.Ipv4Addresses;
import dev.algd.io.linux.NetDevice;

/**
 * One ARP message for Ethernet and IPv4, as {@link Arp#parse} fills it and {@link Arp#write} reads it. Reused for
 * every packet; addresses are host-order {@code int} (IPv4) and 48-bit {@code long} (Ethernet).
 */
public final class ArpMessage {
    public int operation;
    public long senderMac;
    public int senderAddress;
    public long targetMac;
    public int targetAddress;

    public ArpMessage set(int operation, long senderMac, int senderAddress, long targetMac, int targetAddress) {
        this.operation = operation;
        this.senderMac = senderMac;
        this.senderAddress = senderAddress;
        this.targetMac = targetMac;
        this.targetAddress = targetAddress;
        return this;
    }

    /** RFC 5227 §2.1.1: an ARP probe has sender address 0.0.0.0 and must not update anyone's table. */
    public boolean isProbe() {
        return senderAddress == 0;
    }

    /** RFC 5227 §3 announcement / RFC 2002 gratuitous ARP: sender and target address are the same. */
    public boolean isGratuitous() {
        return senderAddress == targetAddress;
    }

    @Override
    public String toString() {
        return (operation == Arp.OPERATION_REQUEST ? "request" : operation == Arp.OPERATION_REPLY ? "reply" : "op " + operation)
                + " " + NetDevice.formatMac(senderMac) + "/" + Ipv4Addresses.format(senderAddress)
                + " -> " + NetDevice.formatMac(targetMac) + "/" + Ipv4Addresses.format(targetAddress);
    }
}
