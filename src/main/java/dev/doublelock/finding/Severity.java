package dev.doublelock.finding;

/** How much a finding matters. FAIL means the relay refuses to deliver over that session. */
public enum Severity {
    /** For information only; never affects a verdict. */
    INFO,
    /** Worth fixing; does not make a server non-compliant. */
    WARN,
    /** Breaks the policy: the checker reports non-compliance, the relay refuses. */
    FAIL;

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}
