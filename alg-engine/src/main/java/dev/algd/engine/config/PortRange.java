package dev.algd.engine.config;

/** An inclusive port range; a single port is a range of one. */
public record PortRange(int first, int last) {

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    public int size() {
        return last - first + 1;
    }

    /** Parses {@code n} or {@code a-b}; throws with the offending text if it is not a well-formed range. */
    public static PortRange parse(String text) {
        int dash = text.indexOf('-');
        try {
            if (dash < 0) {
                int port = Integer.parseInt(text.trim());
                return checked(port, port, text);
            }
            return checked(Integer.parseInt(text.substring(0, dash).trim()),
                    Integer.parseInt(text.substring(dash + 1).trim()), text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a port or a port range (n or a-b)");
        }
    }

    private static PortRange checked(int first, int last, String text) {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a valid port range: ports are 1..65535 and the first must not exceed the last");
        }
        return new PortRange(first, last);
    }

    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}
