package dev.algd.io.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc functions packet I/O needs, bound once through {@link Linker#nativeLinker()}.
 * <p>
 * Setup calls ({@code socket}, {@code bind}, {@code setsockopt}, {@code ioctl}, {@code mmap}, ...) capture errno
 * with {@link Linker.Option#captureCallState} and throw {@link LinuxException}; each allocates a small confined
 * arena, which is fine off the data path. Hot-path calls ({@link #poll}, {@link #send}, {@link #read},
 * {@link #write}) have no capture, allocate nothing and return the raw result; a negative value means failure
 * (design note packet-io.md, "FFM calls and layouts that were needed").
 * <p>
 * Layouts are x86-64/aarch64 Linux (LP64); structures are filled by offset where they are used.
 */
public final class LibC {
    // <sys/socket.h>, <linux/if_packet.h>, <linux/if_ether.h>
    public static final int AF_INET = 2;
    public static final int AF_PACKET = 17;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int ETH_P_ALL = 0x0003;
    public static final int SOL_SOCKET = 1;
    public static final int SO_ERROR = 4;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SOL_PACKET = 263;
    public static final int PACKET_RX_RING = 5;
    public static final int PACKET_STATISTICS = 6;
    public static final int PACKET_VERSION = 10;
    public static final int PACKET_TX_RING = 13;
    public static final int PACKET_LOSS = 14;
    public static final int PACKET_VNET_HDR = 15;
    public static final int PACKET_QDISC_BYPASS = 20;
    public static final int PACKET_IGNORE_OUTGOING = 23;
    public static final int PACKET_FANOUT = 18;
    public static final int PACKET_FANOUT_DATA = 22;
    public static final int PACKET_FANOUT_CBPF = 6;
    public static final int PACKET_FANOUT_FLAG_IGNORE_OUTGOING = 0x4000;
    public static final int TPACKET_V2 = 1;
    public static final int TPACKET_V3 = 2;
    public static final int MSG_DONTWAIT = 0x40;
    // <sys/mman.h>
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_POPULATE = 0x8000;
    // <poll.h>
    public static final short POLLIN = 0x001;
    public static final short POLLERR = 0x008;
    public static final short POLLHUP = 0x010;
    public static final short POLLNVAL = 0x020;
    /** {@code struct pollfd} (8 bytes): fd i32@0, events i16@4, revents i16@6. */
    public static final long POLLFD_SIZE = 8;
    public static final long POLLFD_FD = 0;
    public static final long POLLFD_EVENTS = 4;
    public static final long POLLFD_REVENTS = 6;
    // <fcntl.h>, <sched.h>, <sys/eventfd.h>
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;
    // <asm-generic/errno-base.h>, <asm-generic/errno.h>
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EBUSY = 16;
    public static final int ENETDOWN = 100;
    public static final int ENXIO = 6;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle SOCKET = setup("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = setup("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = setup("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = setup("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle IF_NAMETOINDEX = setup("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /** {@code int ioctl(int fd, unsigned long request, ...)}: variadic from the third argument. */
    private static final MethodHandle IOCTL = setup("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle MMAP = setup("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = setup("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    /** {@code int open(const char *path, int flags, ...)}: the mode is variadic. */
    private static final MethodHandle OPEN = setup("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SETNS = setup("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle EVENTFD = setup("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = setup("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private static final MethodHandle POLL = hot("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SEND = hot("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle READ = hot("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = hot("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle STRERROR = hot("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private LibC() {
    }

    private static MethodHandle setup(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        System.arraycopy(options, 0, all, 0, options.length);
        all[options.length] = CAPTURE_ERRNO;
        return LINKER.downcallHandle(symbol(name), descriptor, all);
    }

    private static MethodHandle hot(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no '" + name + "'"));
    }

    private static int errno(MemorySegment captured) {
        return (int) ERRNO.get(captured, 0L);
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed unexpectedly", t);
    }

    // ---------------------------------------------------------------- setup calls (errno captured)

    /** {@code socket(domain, type, protocol)}; {@code call} names it in errors, e.g. "socket(AF_PACKET, SOCK_RAW, 0)". */
    public static int socket(int domain, int type, int protocol, String call) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = arena.allocate(CAPTURE_LAYOUT);
            int fd = (int) SOCKET.invokeExact(cs, domain, type, protocol);
            if (fd < 0) {
                throw new LinuxException(call, errno(cs));
            }
            return fd;
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static void bind(int fd, MemorySegment address) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) BIND.invokeExact(cs, fd, address, (int) address.byteSize());
            if (r < 0) {
                throw new LinuxException("bind", errno(cs));
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static void setsockopt(int fd, int level, int option, MemorySegment value, String name) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) SETSOCKOPT.invokeExact(cs, fd, level, option, value, (int) value.byteSize());
            if (r < 0) {
                throw new LinuxException("setsockopt(" + name + ")", errno(cs));
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static void setsockoptInt(int fd, int level, int option, int value, String name) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            setsockopt(fd, level, option, v, name);
        }
    }

    /** Fills {@code value} (its whole size is offered to the kernel); returns the length the kernel wrote. */
    public static int getsockopt(int fd, int level, int option, MemorySegment value, String name) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = arena.allocate(CAPTURE_LAYOUT);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, (int) value.byteSize());
            int r = (int) GETSOCKOPT.invokeExact(cs, fd, level, option, value, length);
            if (r < 0) {
                throw new LinuxException("getsockopt(" + name + ")", errno(cs));
            }
            return length.get(JAVA_INT, 0);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The interface index of {@code name} in the calling thread's network namespace, or 0 if there is none. */
    public static int ifNameToIndex(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = arena.allocate(CAPTURE_LAYOUT);
            return (int) IF_NAMETOINDEX.invokeExact(cs, arena.allocateFrom(name));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static void ioctl(int fd, long request, MemorySegment argument, String name) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) IOCTL.invokeExact(cs, fd, request, argument);
            if (r < 0) {
                throw new LinuxException("ioctl(" + name + ")", errno(cs));
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code mmap(NULL, length, prot, flags, fd, 0)}; returns the address as a zero-length segment. */
    public static MemorySegment mmap(long length, int prot, int flags, int fd) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = arena.allocate(CAPTURE_LAYOUT);
            MemorySegment address = (MemorySegment) MMAP.invokeExact(cs, MemorySegment.NULL, length, prot, flags, fd, 0L);
            if (address.address() == -1L) {
                throw new LinuxException("mmap(" + length + " bytes)", errno(cs));
            }
            return address;
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static void munmap(MemorySegment address, long length) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) MUNMAP.invokeExact(cs, address, length);
            if (r < 0) {
                throw new LinuxException("munmap", errno(cs));
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int open(String path, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = arena.allocate(CAPTURE_LAYOUT);
            int fd = (int) OPEN.invokeExact(cs, arena.allocateFrom(path), flags, 0);
            if (fd < 0) {
                throw new LinuxException("open(" + path + ")", errno(cs));
            }
            return fd;
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code setns(fd, nstype)}: moves the <em>calling thread</em> into the namespace {@code fd} refers to. */
    public static void setns(int fd, int namespaceType) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) SETNS.invokeExact(cs, fd, namespaceType);
            if (r < 0) {
                throw new LinuxException("setns", errno(cs));
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int eventfd(int initialValue, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = arena.allocate(CAPTURE_LAYOUT);
            int fd = (int) EVENTFD.invokeExact(cs, initialValue, flags);
            if (fd < 0) {
                throw new LinuxException("eventfd", errno(cs));
            }
            return fd;
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Closes {@code fd}; returns 0 or the errno (a close error cannot be acted on, only reported). */
    public static int close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) CLOSE.invokeExact(cs, fd);
            return r < 0 ? errno(cs) : 0;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---------------------------------------------------------------- hot-path calls (no errno, no allocation)

    /** {@code poll(fds, count, timeoutMillis)}; returns the number of ready descriptors, 0 on timeout, -1 on error. */
    public static int poll(MemorySegment pollfds, int count, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(pollfds, (long) count, timeoutMillis);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code send(fd, buffer, length, flags)}; a NULL buffer of length 0 kicks a TX ring. Negative on error. */
    public static long send(int fd, MemorySegment buffer, long length, int flags) {
        try {
            return (long) SEND.invokeExact(fd, buffer, length, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long read(int fd, MemorySegment buffer, long length) {
        try {
            return (long) READ.invokeExact(fd, buffer, length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long write(int fd, MemorySegment buffer, long length) {
        try {
            return (long) WRITE.invokeExact(fd, buffer, length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---------------------------------------------------------------- error text

    /** For example {@code "Operation not permitted (EPERM, errno 1)"}: the C library's text and the symbolic name. */
    public static String describeErrno(int errno) {
        String text;
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            text = s.equals(MemorySegment.NULL) ? "unknown error" : s.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            text = "unknown error";
        }
        String symbol = errnoName(errno);
        return text + " (" + (symbol == null ? "" : symbol + ", ") + "errno " + errno + ")";
    }

    /** The symbolic name of the errno values packet I/O can meet, or {@code null}. */
    public static String errnoName(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 4 -> "EINTR";
            case 6 -> "ENXIO";
            case 9 -> "EBADF";
            case 11 -> "EAGAIN";
            case 12 -> "ENOMEM";
            case 13 -> "EACCES";
            case 14 -> "EFAULT";
            case 16 -> "EBUSY";
            case 19 -> "ENODEV";
            case 22 -> "EINVAL";
            case 23 -> "ENFILE";
            case 24 -> "EMFILE";
            case 25 -> "ENOTTY";
            case 90 -> "EMSGSIZE";
            case 93 -> "EPROTONOSUPPORT";
            case 95 -> "EOPNOTSUPP";
            case 97 -> "EAFNOSUPPORT";
            case 100 -> "ENETDOWN";
            case 105 -> "ENOBUFS";
            default -> null;
        };
    }
}
