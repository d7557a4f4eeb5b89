package dev.doublelock.policy;

/** The overall answer for a set of findings. */
public enum Verdict {
    /** No FAIL and everything could be checked. */
    COMPLIANT,
    /** At least one FAIL finding: the checker exits 1, the relay refuses. */
    NON_COMPLIANT,
    /** No FAIL, but something could not be checked (UNREACHABLE): not a pass, not a fail. */
    INCOMPLETE
}
