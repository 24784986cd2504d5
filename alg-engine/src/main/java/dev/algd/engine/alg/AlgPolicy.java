package dev.algd.engine.alg;

/**
 * What the framework enforces for one ALG, as netfilter's per-helper expectation policy does
 * ({@code struct nf_conntrack_expect_policy}: max_expected, timeout).
 *
 * @param maxExpectationsPerParent how many expectations one control session may have pending; a further one
 *     evicts the oldest (netfilter's behaviour, so a client that re-issues PORT is not locked out)
 * @param expectationTimeoutSeconds how long an expectation waits for its flow unless the ALG says otherwise
 *     (Vyatta: 10 s by default, 120 s for FTP data; netfilter FTP: 300 s). The value an ALG declares is its default,
 *     equal to {@code AlgTimeouts.defaults}; the engine replaces it with the configured
 *     {@code system alg X expectation-timeout} at every apply.
 */
public record AlgPolicy(int maxExpectationsPerParent, long expectationTimeoutSeconds) {
    public AlgPolicy {
        if (maxExpectationsPerParent < 1 || maxExpectationsPerParent > 255) {
            throw new IllegalArgumentException("maxExpectationsPerParent " + maxExpectationsPerParent
                    + " is outside 1..255");
        }
        if (expectationTimeoutSeconds < 1 || expectationTimeoutSeconds > 86_400) {
            throw new IllegalArgumentException("expectationTimeoutSeconds " + expectationTimeoutSeconds
                    + " is outside 1..86400");
        }
    }
}
