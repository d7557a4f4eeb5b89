package dev.doublelock.policy;

/** A policy could not be found, read or understood. The message names the file/policy and the problem. */
public final class PolicyException extends RuntimeException {
    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
