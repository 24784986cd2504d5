package dev.algd.io;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the data plane's own counters, taken on the worker thread. The engine's counters are separate:
 * {@code dataPlane.query(Engine::counters)}.
 *
 * @param ports one entry per configured interface, in data-path index order
 * @param drops frames dropped by packet I/O, by reason, every reason present
 */
public record DataPlaneCounters(List<PortCounters> ports, Map<FrameDropReason, Long> drops) {

    public DataPlaneCounters {
        ports = List.copyOf(ports);
        EnumMap<FrameDropReason, Long> complete = new EnumMap<>(FrameDropReason.class);
        for (FrameDropReason reason : FrameDropReason.values()) {
            Long count = drops.get(reason);
            complete.put(reason, count == null ? 0L : count);
        }
        drops = Collections.unmodifiableMap(complete);
    }

    public long drops(FrameDropReason reason) {
        return drops.get(reason);
    }

    /** The counters of the interface named {@code interfaceName}, or {@code null}. */
    public PortCounters port(String interfaceName) {
        for (PortCounters port : ports) {
            if (port.interfaceName().equals(interfaceName)) {
                return port;
            }
        }
        return null;
    }
}
