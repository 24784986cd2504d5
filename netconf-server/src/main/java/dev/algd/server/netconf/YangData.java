package dev.algd.server.netconf;

import java.util.Locale;
import java.util.Map;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;

/** Shapes the live-state renderers share. */
final class YangData {
    private YangData() {
    }

    /** How a Java constant is named in YANG data: {@code TX_RING_FULL} as {@code tx-ring-full}. */
    static String name(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A list of {@code module} keyed by its string leaf {@code key}, with a {@code count} leaf per entry. */
    static <T> MapNode counts(QNameModule module, String list, String key, Map<String, T> counts) {
        QName listName = QName.create(module, list);
        QName keyName = QName.create(module, key);
        QName count = QName.create(module, "count");
        var map = ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(new NodeIdentifier(listName));
        counts.forEach((value, number) -> map.withChild(ImmutableNodes.newMapEntryBuilder()
                .withNodeIdentifier(NodeIdentifierWithPredicates.of(listName, keyName, value))
                .withChild(ImmutableNodes.leafNode(keyName, value))
                .withChild(ImmutableNodes.leafNode(count, number))
                .build()));
        return map.build();
    }
}
