package dev.algd.engine.session;

/**
 * The two directions of a session, as {@code int}s so that the per-packet path stays primitive: {@link #ORIGINAL}
 * is the direction of the packet that created it, {@link #REPLY} the other.
 */
public final class Direction {
    public static final int ORIGINAL = 0;
    public static final int REPLY = 1;

    private Direction() {
    }

    public static int opposite(int direction) {
        return direction ^ 1;
    }
}
