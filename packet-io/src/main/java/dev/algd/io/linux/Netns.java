package dev.algd.io.linux;

/**
 * Moves the calling thread into a named network namespace ({@code ip netns add NAME}, which bind-mounts it at
 * {@code /var/run/netns/NAME}) and back. Network namespaces belong to threads, not processes, on Linux, so this
 * affects only the calling platform thread; other JVM threads stay where they are.
 * <p>
 * Sockets keep the namespace they were created in: open the ports inside the namespace, and any thread
 * (the data-plane worker included) can use them afterwards. Interface names are also looked up in the calling
 * thread's namespace. Typical use:
 * <pre>{@code
 * try (Netns ns = Netns.enter("router")) {
 *     dataPlane.prepare(config);   // opens the AF_PACKET sockets inside "router"
 * }                                // this thread is back in its original namespace
 * }</pre>
 * The handle must be closed on the thread that entered. Virtual threads are refused: setns would move their
 * carrier thread. Entering needs CAP_SYS_ADMIN.
 */
public final class Netns implements AutoCloseable {
    /** Where iproute2 keeps named namespaces. */
    public static final String NAMED_NAMESPACES = "/var/run/netns/";

    private final String name;
    private final Thread thread;
    private int previous;

    private Netns(String name, Thread thread, int previous) {
        this.name = name;
        this.thread = thread;
        this.previous = previous;
    }

    /** Moves the calling thread into the namespace {@code name}; close the result to return. */
    public static Netns enter(String name) throws LinuxException {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) {
            throw new LinuxException("'" + name + "' cannot be a network namespace name", "setns", LibC.EINVAL);
        }
        Thread current = Thread.currentThread();
        if (current.isVirtual()) {
            throw new IllegalStateException("cannot enter network namespace '" + name
                    + "' from a virtual thread: setns would move its carrier thread");
        }
        int previous = LibC.open("/proc/thread-self/ns/net", LibC.O_RDONLY | LibC.O_CLOEXEC);
        int target;
        try {
            target = LibC.open(NAMED_NAMESPACES + name, LibC.O_RDONLY | LibC.O_CLOEXEC);
        } catch (LinuxException e) {
            LibC.close(previous);
            if (e.errno() == LibC.ENOENT) {
                throw new LinuxException("network namespace '" + name + "' does not exist (no " + NAMED_NAMESPACES
                        + name + "; see 'ip netns list')", e.call(), e.errno());
            }
            throw e.withContext("opening network namespace '" + name + "'");
        }
        try {
            LibC.setns(target, LibC.CLONE_NEWNET);
        } catch (LinuxException e) {
            LibC.close(previous);
            throw e.withContext("entering network namespace '" + name + "'"
                    + (e.errno() == LibC.EPERM ? " needs CAP_SYS_ADMIN (run as root)" : ""));
        } finally {
            LibC.close(target);
        }
        return new Netns(name, current, previous);
    }

    public String name() {
        return name;
    }

    /** Returns the calling thread to the namespace it was in before {@link #enter}. */
    @Override
    public void close() throws LinuxException {
        if (previous < 0) {
            return;
        }
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("network namespace '" + name + "' was entered by thread '"
                    + thread.getName() + "' and must be left by it");
        }
        try {
            LibC.setns(previous, LibC.CLONE_NEWNET);
        } catch (LinuxException e) {
            throw e.withContext("returning from network namespace '" + name + "'");
        } finally {
            LibC.close(previous);
            previous = -1;
        }
    }
}
