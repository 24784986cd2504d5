package dev.algd.io.linux;

import java.io.IOException;

/**
 * A failed Linux call: the call, the errno, and the C library's text for it. The message starts with what algd was
 * trying to do, so that an operator can act on it without reading the code.
 */
public final class LinuxException extends IOException {
    private final String call;
    private final int errno;

    public LinuxException(String call, int errno) {
        this(call + " failed: " + LibC.describeErrno(errno), call, errno);
    }

    public LinuxException(String message, String call, int errno) {
        super(message);
        this.call = call;
        this.errno = errno;
    }

    /** The failed call as written in the message, for example {@code socket(AF_PACKET, SOCK_RAW, 0)}. */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    /** The same error with {@code context} in front of the message: what algd was doing when the call failed. */
    public LinuxException withContext(String context) {
        LinuxException e = new LinuxException(context + ": " + getMessage(), call, errno);
        e.initCause(this);
        return e;
    }
}
