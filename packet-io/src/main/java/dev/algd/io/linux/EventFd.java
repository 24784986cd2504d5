package dev.algd.io.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An {@code eventfd(2)} that wakes a thread sleeping in {@code poll}: {@link #signal} from any thread makes the
 * descriptor readable until the owner calls {@link #drain}. Neither allocates.
 */
public final class EventFd implements AutoCloseable {
    private final int fd;
    private final Arena arena = Arena.ofShared();
    /** Both signal and drain use 8-byte counters; concurrent signals write the same value, so sharing is benign. */
    private final MemorySegment one;
    private final MemorySegment scratch;

    public EventFd() throws LinuxException {
        fd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        one = arena.allocate(ValueLayout.JAVA_LONG);
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
        scratch = arena.allocate(ValueLayout.JAVA_LONG);
    }

    public int fd() {
        return fd;
    }

    public void signal() {
        LibC.write(fd, one, 8);
    }

    /** Resets the counter (called by the owner after poll reported the descriptor readable). */
    public void drain() {
        LibC.read(fd, scratch, 8);
    }

    @Override
    public void close() {
        LibC.close(fd);
        arena.close();
    }
}
