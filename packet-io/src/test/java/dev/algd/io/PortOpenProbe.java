package dev.algd.io;

/**
 * Opens one AF_PACKET port and prints "opened" or the exception's message: run by {@link NamespaceEndToEndTest} in
 * a child JVM with fewer privileges, since a thread cannot give up a capability for itself alone.
 */
public final class PortOpenProbe {
    private PortOpenProbe() {
    }

    public static void main(String[] args) {
        try {
            AfPacketPort.open(args[0]).close();
            System.out.println("opened");
        } catch (Exception e) {
            System.out.println(e.getMessage());
        }
    }
}
