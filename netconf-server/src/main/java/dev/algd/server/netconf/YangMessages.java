package dev.algd.server.netconf;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns yangtools' failure texts into sentences for an operator: qualified names
 * {@code (urn:algd:yang:algd-nat?revision=2026-11-25)rule} lose their namespace, key predicates
 * {@code [{id=22}]} read {@code [id='22']}.
 */
final class YangMessages {
    private static final Pattern QUALIFIED = Pattern.compile("\\([^()\\s]*\\?revision=[0-9-]+\\)|\\([a-z]+:[^()\\s]*\\)");
    private static final Pattern KEY = Pattern.compile("\\[\\{([^=}]+)=([^}]*)}]");
    private static final Pattern MISSING_MANDATORY = Pattern.compile(
            "Node (\\S+) is missing mandatory descendant (\\S+)");

    private YangMessages() {
    }

    static String clean(String message) {
        String plain = QUALIFIED.matcher(message).replaceAll("");
        return KEY.matcher(plain).replaceAll(m -> Matcher.quoteReplacement("[" + m.group(1) + "='" + m.group(2) + "']"));
    }

    /** "rule[id='22'] is missing its mandatory outbound-interface", or null when the text is another failure. */
    static String missingMandatory(String message) {
        Matcher m = MISSING_MANDATORY.matcher(message);
        if (!m.find()) {
            return null;
        }
        return clean(m.group(1)) + " is missing its mandatory " + clean(m.group(2)).replaceFirst("^/", "")
                + "; set it, or delete the " + clean(m.group(1)).replaceAll("\\[.*", "");
    }

    /** The innermost message of an exception chain. */
    static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
