package dev.algd.engine.alg;

import java.util.Locale;
import java.util.Map;

/** Builds {@link Alg#diagnostics()} from an ALG's counter arrays indexed by the ordinals of its reason enums. */
public final class AlgDiagnostics {
    private AlgDiagnostics() {
    }

    /** Puts each {@code names[i]} (as {@code prefix} + {@code not-a-digit}) with {@code counts[i]} into {@code into}. */
    public static void put(Map<String, Long> into, String prefix, Enum<?>[] names, long[] counts) {
        for (Enum<?> name : names) {
            into.put(prefix + name.name().toLowerCase(Locale.ROOT).replace('_', '-'), counts[name.ordinal()]);
        }
    }
}
