package dev.algd.io;

/**
 * Opens one AF_PACKET port ({@code PortOpenProbe DEVICE}) or TUN port ({@code PortOpenProbe --tun DEVICE}) and prints
 * "opened" or the exception's message: run by {@link NamespaceEndToEndTest} in a child JVM with fewer privileges,
 * since a thread cannot give up a capability for itself alone.
 */
public final class PortOpenProbe {
    private PortOpenProbe() {
    }

    public static void main(String[] args) {
        try {
            if (args[0].equals("--tun")) {
                TunPort.open(args[1]).close();
            } else {
                AfPacketPort.open(args[0]).close();
            }
            System.out.println("opened");
        } catch (Exception e) {
            System.out.println(e.getMessage());
        }
    }
}
