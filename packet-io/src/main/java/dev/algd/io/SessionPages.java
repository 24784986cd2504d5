package dev.algd.io;

import dev.algd.engine.Engine;
import dev.algd.engine.SessionView;
import java.util.List;

/**
 * A walk over the live sessions of every worker of a {@link DataPlaneGroup}, a page at a time: worker 0's tables,
 * then worker 1's, and so on, each page copied on its worker between two batches
 * ({@link Engine#sessions(long, int, long, List)}). A reader of 100 000 sessions holds one page of them, never the
 * table. Like {@code conntrack -L}, not a point-in-time snapshot: a session alive throughout the walk is listed
 * once, one created or ended meanwhile once or not at all. Not thread-safe: one reader walks.
 */
public final class SessionPages {
    private final List<DataPlane> workers;
    private final int pageSize;
    private int worker;
    private long cursor;

    SessionPages(List<DataPlane> workers, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("a page of " + pageSize + " sessions holds nothing");
        }
        this.workers = workers;
        this.pageSize = pageSize;
    }

    /**
     * Replaces {@code page}'s contents with the next sessions of the walk, at most the page size and fewer only at
     * the end; answers false, {@code page} empty, once the walk is over.
     */
    public boolean next(List<SessionView> page) {
        page.clear();
        while (page.size() < pageSize && worker < workers.size()) {
            long from = cursor;
            int room = pageSize - page.size();
            cursor = workers.get(worker).query(engine -> engine.sessions(from, room, System.nanoTime(), page));
            if (cursor == Engine.END_OF_SESSIONS) {
                worker++;
                cursor = 0;
            }
        }
        return !page.isEmpty();
    }
}
