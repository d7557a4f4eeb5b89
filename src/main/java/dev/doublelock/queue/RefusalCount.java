package dev.doublelock.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * The sessions the policy refused, and those it would have refused in testing mode, recorded in one time slot for
 * one finding code (see {@link QueueStore#refusals}). A session refused for two findings counts under both codes.
 *
 * @param slot        start of the slot (UTC, a multiple of the slot length since the epoch)
 * @param code        the finding code, e.g. {@code EXPIRED_CERTIFICATE}; {@code ""} for a refusal that named none
 * @param refused     sessions refused (the message was not handed over)
 * @param wouldRefuse testing mode: sessions the policy would have refused, delivered anyway
 */
public record RefusalCount(Instant slot, String code, long refused, long wouldRefuse) {
    public RefusalCount {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(code, "code");
    }
}
