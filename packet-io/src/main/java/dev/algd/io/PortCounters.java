package dev.algd.io;

/**
 * Counters of one bound interface since its port was opened.
 *
 * @param interfaceName the configured name
 * @param device the Linux device
 * @param rxFrames frames taken from the RX ring (all ethertypes)
 * @param rxBytes their bytes on the wire
 * @param txFrames frames queued on the TX ring (forwarded IPv4, ARP replies, requests and announcements)
 * @param txBytes their bytes
 * @param kernelDrops frames the kernel dropped because the RX ring was full (PACKET_STATISTICS tp_drops)
 * @param checksumsCompleted TCP/UDP checksums completed in software (TP_STATUS_CSUMNOTREADY frames)
 * @param arpRepliesSent ARP requests for an owned address answered
 * @param arpRequestsSent ARP requests sent to resolve or refresh a next hop
 * @param arpAnnouncementsSent gratuitous ARP announcements of interface addresses
 * @param addressConflicts ARP packets from another host claiming an interface address
 * @param neighbours neighbour-table entries, resolved or not, at the time of the snapshot
 * @param heldPackets packets waiting for ARP at the time of the snapshot
 * @param txFlushFailures TX kicks the kernel refused (the frames stayed queued and went with a later kick)
 * @param socketErrors errors the socket reported through poll (e.g. ENETDOWN)
 */
public record PortCounters(String interfaceName, String device, long rxFrames, long rxBytes, long txFrames,
        long txBytes, long kernelDrops, long checksumsCompleted, long arpRepliesSent, long arpRequestsSent,
        long arpAnnouncementsSent, long addressConflicts, int neighbours, int heldPackets, long txFlushFailures,
        long socketErrors) {
}
