package dev.algd.engine.alg;

import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.AlgSettings;
import dev.algd.engine.config.EngineConfig;
import java.util.List;

/**
 * Which ALG a new flow gets, decided from one config: TCP and UDP by destination port, from each enabled ALG's
 * {@link AlgSettings#effectivePorts()} (configured ports replace the default; the guide, "ALG control ports") and the
 * transports it runs on. A disabled ALG, or one with no implementation in this engine, maps nothing. PPTP and ICMP
 * are detected by IP protocol (guide, "Enabling and disabling ALG protocols"); that comes with those ALGs.
 * <p>
 * The port looked up is the destination port after destination NAT, as netfilter finds a helper from the reply
 * tuple: a forward of 2121 to a server's 21 is FTP. Built once per apply; lookups never allocate.
 */
public final class AlgRegistry {
    public static final int NO_ALG = -1;
    private static final int PORTS = 65536;
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;

    /** Per port: AlgId ordinal + 1, 0 for none. */
    private final byte[] tcpPorts = new byte[PORTS];
    private final byte[] udpPorts = new byte[PORTS];

    private AlgRegistry(EngineConfig config, Alg[] implementations) {
        for (AlgId id : AlgId.values()) {
            AlgSettings settings = config.alg(id);
            if (settings == null || !settings.enabled() || implementations[id.ordinal()] == null) {
                continue;
            }
            List<Integer> ports = settings.effectivePorts();
            for (int port : ports) {
                if (port < 0 || port >= PORTS) {
                    continue;
                }
                // The validator forbids a port in two ALGs; should a config slip through, the first ALG keeps it.
                if (id.isOnTcp() && tcpPorts[port] == 0) {
                    tcpPorts[port] = (byte) (id.ordinal() + 1);
                }
                if (id.isOnUdp() && udpPorts[port] == 0) {
                    udpPorts[port] = (byte) (id.ordinal() + 1);
                }
            }
        }
    }

    /** @param implementations indexed by {@link AlgId#ordinal()}, null where this engine has none */
    public static AlgRegistry build(EngineConfig config, Alg[] implementations) {
        return new AlgRegistry(config, implementations);
    }

    /** The {@link AlgId#ordinal()} of the ALG for a new flow, or {@link #NO_ALG}. */
    public int algFor(int protocol, int destinationPort) {
        if (destinationPort < 0 || destinationPort >= PORTS) {
            return NO_ALG;
        }
        if (protocol == PROTOCOL_TCP) {
            return tcpPorts[destinationPort] - 1;
        }
        if (protocol == PROTOCOL_UDP) {
            return udpPorts[destinationPort] - 1;
        }
        return NO_ALG;
    }
}
