package dev.doublelock.relay.intake;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the intake judges clients, shared by the submission and relay listeners.
 *
 * @param hostName         this relay's name in the Received: header
 * @param users            submission users (may be empty: then nobody can submit)
 * @param allowedNetworks  client networks the relay listener accepts mail from
 * @param authFailureDelay how long a failed AUTH waits before its 535 (slows password guessing)
 * @param sleeper          how that wait happens
 * @param clock            timestamps for the Received: header
 */
public record IntakeOptions(String hostName, UserDirectory users, NetworkAllowList allowedNetworks,
                            Duration authFailureDelay, Sleeper sleeper, Clock clock) {
    public static final Duration DEFAULT_AUTH_FAILURE_DELAY = Duration.ofMillis(1500);

    public IntakeOptions {
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(allowedNetworks, "allowedNetworks");
        Objects.requireNonNull(authFailureDelay, "authFailureDelay");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(clock, "clock");
        if (authFailureDelay.isNegative()) {
            throw new IllegalArgumentException("authFailureDelay must not be negative");
        }
    }

    /** No users, loopback networks, 1.5 s failed-AUTH delay, system clock. */
    public static IntakeOptions defaults(String hostName) {
        return new IntakeOptions(hostName, UserDirectory.none(), NetworkAllowList.loopback(),
                DEFAULT_AUTH_FAILURE_DELAY, Sleeper.SYSTEM, Clock.systemUTC());
    }

    public IntakeOptions withUsers(UserDirectory v) {
        return new IntakeOptions(hostName, v, allowedNetworks, authFailureDelay, sleeper, clock);
    }

    public IntakeOptions withAllowedNetworks(NetworkAllowList v) {
        return new IntakeOptions(hostName, users, v, authFailureDelay, sleeper, clock);
    }

    public IntakeOptions withAuthFailureDelay(Duration v) {
        return new IntakeOptions(hostName, users, allowedNetworks, v, sleeper, clock);
    }

    public IntakeOptions withSleeper(Sleeper v) {
        return new IntakeOptions(hostName, users, allowedNetworks, authFailureDelay, v, clock);
    }

    public IntakeOptions withClock(Clock v) {
        return new IntakeOptions(hostName, users, allowedNetworks, authFailureDelay, sleeper, v);
    }
}
