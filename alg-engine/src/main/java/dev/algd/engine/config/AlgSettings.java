package dev.algd.engine.config;

import java.util.List;

/**
 * One ALG's configuration as committed.
 *
 * @param configuredPorts the ports listed under {@code system alg X port}; empty means "use the default"
 * @param configuredPrograms RPC only: programs added to {@link #DEFAULT_RPC_PROGRAMS}
 * @param timeouts the timeouts in force, defaults resolved
 */
public record AlgSettings(AlgId alg, boolean enabled, List<Integer> configuredPorts, List<Long> configuredPrograms,
        AlgTimeouts timeouts) {

    /** Guide, "RPC", table 1: portmap, nfsprog, mount, nlockmgr, nfs_acl. */
    public static final List<Long> DEFAULT_RPC_PROGRAMS = List.of(100000L, 100003L, 100005L, 100021L, 100227L);

    /** Guide, "ALG control ports": up to 32 ports per port-based ALG; the YANG model allows as many programs. */
    public static final int MAX_PORTS = 32;
    public static final int MAX_PROGRAMS = 32;

    public AlgSettings {
        configuredPorts = List.copyOf(configuredPorts);
        configuredPrograms = List.copyOf(configuredPrograms);
        java.util.Objects.requireNonNull(timeouts, "timeouts");
    }

    /** With the default timeouts of {@code alg}. */
    public AlgSettings(AlgId alg, boolean enabled, List<Integer> configuredPorts, List<Long> configuredPrograms) {
        this(alg, enabled, configuredPorts, configuredPrograms, AlgTimeouts.defaults(alg));
    }

    public static AlgSettings defaults(AlgId alg) {
        return new AlgSettings(alg, true, List.of(), List.of());
    }

    /** Guide: configured ports replace the default; removing them all restores it. */
    public List<Integer> effectivePorts() {
        if (!configuredPorts.isEmpty()) {
            return configuredPorts;
        }
        int[] defaults = alg.defaultPorts();
        Integer[] boxed = new Integer[defaults.length];
        for (int i = 0; i < defaults.length; i++) {
            boxed[i] = defaults[i];
        }
        return List.of(boxed);
    }

    public List<Long> effectivePrograms() {
        if (alg != AlgId.RPC) {
            return List.of();
        }
        var all = new java.util.ArrayList<>(DEFAULT_RPC_PROGRAMS);
        for (Long p : configuredPrograms) {
            if (!all.contains(p)) {
                all.add(p);
            }
        }
        return List.copyOf(all);
    }
}
