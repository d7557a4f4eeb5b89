package dev.doublelock.relay.intake;

import java.time.Duration;
import java.util.Objects;

/**
 * How many failed AUTH attempts one client address may make, across all its sessions, before it is refused for a
 * while (like Postfix's anvil(8) with {@code smtpd_client_auth_rate_limit}, but counting failures only, so a client
 * that logs in correctly is never slowed down).
 *
 * @param maxFailures failures within {@code window} that block the address; 0 turns the limit off
 * @param window      the sliding window failures are counted in
 * @param block       how long the address then gets 421 to every AUTH, the right password included
 */
public record AuthFailureLimit(int maxFailures, Duration window, Duration block) {
    /** 20 failures within 10 minutes block the address for 15 minutes. */
    public static final AuthFailureLimit DEFAULT = new AuthFailureLimit(20, Duration.ofMinutes(10), Duration.ofMinutes(15));
    /** No limit per address (the per-session error limit and the failure delay still apply). */
    public static final AuthFailureLimit OFF = new AuthFailureLimit(0, Duration.ofMinutes(10), Duration.ofMinutes(15));

    public AuthFailureLimit {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(block, "block");
        if (maxFailures < 0) {
            throw new IllegalArgumentException("maxFailures must not be negative (0 turns the limit off)");
        }
        if (window.isNegative() || window.isZero() || block.isNegative() || block.isZero()) {
            throw new IllegalArgumentException("window and block must be positive");
        }
    }

    public boolean enabled() {
        return maxFailures > 0;
    }
}
