package dev.algd.engine.config;

/**
 * The application layer gateways of the vendor guide, with the control ports they own by default
 * (guide, "ALG control ports", table 2). PPTP and ICMP are detected by IP protocol, not by port.
 */
public enum AlgId {
    FTP("ftp", new int[] {21}, true, false),
    TFTP("tftp", new int[] {69}, false, true),
    SIP("sip", new int[] {5060}, true, true),
    RPC("rpc", new int[] {111}, true, true),
    RSH("rsh", new int[] {514}, true, false),
    PPTP("pptp", new int[] {1723}, true, false),
    ICMP("icmp", new int[0], false, false);

    private final String yangName;
    private final int[] defaultPorts;
    private final boolean onTcp;
    private final boolean onUdp;

    AlgId(String yangName, int[] defaultPorts, boolean onTcp, boolean onUdp) {
        this.yangName = yangName;
        this.defaultPorts = defaultPorts;
        this.onTcp = onTcp;
        this.onUdp = onUdp;
    }

    /** The name of this ALG's container under {@code /system/alg}. */
    public String yangName() {
        return yangName;
    }

    public int[] defaultPorts() {
        return defaultPorts.clone();
    }

    /** Whether operators may replace the default control ports ({@code system alg X port}): FTP, TFTP and SIP. */
    public boolean hasConfigurablePorts() {
        return this == FTP || this == TFTP || this == SIP;
    }

    public boolean isOnTcp() {
        return onTcp;
    }

    public boolean isOnUdp() {
        return onUdp;
    }
}
