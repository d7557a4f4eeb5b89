package dev.doublelock.tls;

import java.util.Objects;

/**
 * What one vulnerability probe found. A probe that could not finish is not an exposure: it is absent from the
 * observation's map and says why in {@code untested} (the report is then incomplete).
 *
 * @param status   vulnerable, not vulnerable, or not applicable (the precondition was not observed)
 * @param evidence what the server did, in words (e.g. "answered the 16 KiB heartbeat request with 16,387 bytes")
 */
public record Exposure(Status status, String evidence) {
    public enum Status { VULNERABLE, NOT_VULNERABLE, NOT_APPLICABLE }

    public Exposure {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(evidence, "evidence");
    }

    public static Exposure vulnerable(String evidence) {
        return new Exposure(Status.VULNERABLE, evidence);
    }

    public static Exposure notVulnerable(String evidence) {
        return new Exposure(Status.NOT_VULNERABLE, evidence);
    }

    public static Exposure notApplicable(String evidence) {
        return new Exposure(Status.NOT_APPLICABLE, evidence);
    }

    public boolean vulnerable() {
        return status == Status.VULNERABLE;
    }
}
