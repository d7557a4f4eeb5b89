package dev.doublelock.policy.mtasts;

/** An MTA-STS record, MTA-STS policy or TLS-RPT record breaks its RFC grammar; the message says where. */
public final class RecordSyntaxException extends IllegalArgumentException {
    public RecordSyntaxException(String message) {
        super(message);
    }
}
