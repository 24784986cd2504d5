package dev.algd.server.netconf;

import dev.algd.engine.SessionView;
import dev.algd.io.DataPlaneGroup;
import dev.algd.io.SessionPages;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read of the whole session table, a page at a time ({@link DataPlaneGroup#sessionPages}), with its summary
 * tallied from the rows as they go by, so that the summary counts exactly the sessions listed. Every such read
 * passes here and logs one line when it ends: the one read that must not walk the table, a session by key, can be
 * shown not to (test_session_table.py).
 */
final class SessionTableWalk {
    /**
     * Sessions per page, one call on a worker each: about 200 KiB of views held at a time, and a worker's answer takes
     * 0.1-1 ms to come back (it may be asleep in poll), so 100 000 sessions cost about 100 of those.
     */
    static final int PAGE_SESSIONS = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(SessionTableWalk.class);

    private final SessionPages pages;
    private final String reader;
    private final SessionTableNodes.Tally tally = new SessionTableNodes.Tally();
    private final long started = System.nanoTime();
    private int pageCount;
    private long readingNanos;
    private boolean isOver;

    /** @param reader who reads, for the log line */
    SessionTableWalk(DataPlaneGroup dataPlane, String reader) {
        this.pages = dataPlane.sessionPages(PAGE_SESSIONS);
        this.reader = reader;
    }

    /** Every session, as one list, for the readers that need the table as one tree anyway (the YANG codec's). */
    static List<SessionView> all(DataPlaneGroup dataPlane, String reader) {
        SessionTableWalk walk = new SessionTableWalk(dataPlane, reader);
        List<SessionView> all = new ArrayList<>();
        List<SessionView> page = new ArrayList<>(PAGE_SESSIONS);
        while (walk.next(page)) {
            all.addAll(page);
        }
        return all;
    }

    /** Replaces {@code page}'s contents with the next sessions; false, {@code page} empty, once all were read. */
    boolean next(List<SessionView> page) {
        if (isOver) {
            page.clear();
            return false;
        }
        long reading = System.nanoTime();
        boolean isPage = pages.next(page);
        readingNanos += System.nanoTime() - reading;
        if (isPage) {
            pageCount++;
            page.forEach(tally::add);
            return true;
        }
        isOver = true;
        LOG.info("session table walked for {}: {} sessions in {} pages, {} ms ({} ms reading pages from workers)",
                reader, tally.total(), pageCount, (System.nanoTime() - started) / 1_000_000, readingNanos / 1_000_000);
        return false;
    }

    /** The summary of the sessions read so far: of the whole table once {@link #next} answered false. */
    SessionTableNodes.Summary summary() {
        return tally.summary();
    }
}
