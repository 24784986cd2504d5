package dev.algd.server.netconf;

import java.io.IOException;
import org.w3c.dom.Element;

/**
 * {@code <delete-config>} (RFC 6241 §7.4) of startup: it then holds an empty configuration, so a clean boot
 * starts with nothing configured. Running cannot be deleted (RFC 6241 §7.4), and the candidate is reset with
 * discard-changes.
 */
final class DeleteConfig extends StartupChange {
    DeleteConfig(SharedDatastores datastores, StartupDatastore startup, long session) {
        super("delete-config", datastores, startup, session);
    }

    @Override
    String refusal(Element operation) {
        String target = datastoreIn(operation, "target");
        return SharedDatastores.STARTUP.equals(target) ? null : "only startup can be deleted"
                + (target == null ? "" : ", not <" + target + ">")
                + "; running cannot be deleted, and the candidate is reset with discard-changes";
    }

    @Override
    void change(Element operation) throws IOException {
        startup.clear();
    }
}
