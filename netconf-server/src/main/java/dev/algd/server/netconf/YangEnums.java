package dev.algd.server.netconf;

import java.util.Locale;

/** How a Java constant is named in YANG data: {@code TX_RING_FULL} as {@code tx-ring-full}. */
final class YangEnums {
    private YangEnums() {
    }

    static String name(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
