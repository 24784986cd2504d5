package dev.algd.engine.config;

/**
 * One broken rule in a candidate configuration.
 *
 * @param path the offending node, as a schema path without module prefixes ({@code /system/alg/tftp/port[.='21']})
 * @param appTag a stable name for the rule, reported as NETCONF error-app-tag
 * @param message what is wrong and what would be accepted, for a person
 */
public record Violation(String path, String appTag, String message) {
}
