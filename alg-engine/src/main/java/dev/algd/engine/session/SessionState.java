package dev.algd.engine.session;

/**
 * A session's state, shown by its name. TCP uses the vendor guide's codes ({@code show session-table} legend):
 * SS syn sent, SR syn received, ES established, FW fin wait, CW close wait, LA last ack, TW time wait, CL close,
 * LI listen (never entered: algd sees no listening sockets). Other protocols are {@link #NEW} until a reply was
 * seen, then {@link #ES}.
 */
public enum SessionState {
    NEW, SS, SR, ES, FW, CW, LA, TW, CL, LI;

    private static final SessionState[] BY_ORDINAL = values();

    /** The state with this ordinal, without the copy that {@code values()} makes. */
    public static SessionState ofOrdinal(int ordinal) {
        return BY_ORDINAL[ordinal];
    }

    public static int count() {
        return BY_ORDINAL.length;
    }
}
