package dev.doublelock.policy;

import java.util.List;
import java.util.Set;

import dev.doublelock.finding.Finding;

/**
 * One check: reads the evaluation, applies the policy rules of its {@link #type()}, emits findings. A check
 * whose input is absent (no TLS, no chain, no domain facts) returns nothing: skipped, not failed.
 */
interface Check {
    /** The value of a rule's "check" field that configures this check. */
    String type();

    /** Parameter names a rule of this type may carry (others are rejected when the policy is loaded). */
    Set<String> params();

    List<Finding> run(Evaluation e, List<Rule> rules);
}
