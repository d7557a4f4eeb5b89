package dev.doublelock.policy.transport;

/** Whether the local policy's verdict is acted on (the relay's policy map mode; the checker always shows ENFORCE). */
public enum LocalMode {
    /** FAIL findings of the local policy refuse the session. */
    ENFORCE,
    /** Deliver as opportunistic mail would (encrypted where possible); record what the policy would have refused. */
    TESTING
}
