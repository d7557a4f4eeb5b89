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
 * @param authGuard        failed AUTH attempts per client address, shared by every session given these options
 */
public record IntakeOptions(String hostName, UserDirectory users, NetworkAllowList allowedNetworks,
                            Duration authFailureDelay, Sleeper sleeper, Clock clock, AuthFailureGuard authGuard) {
    public static final Duration DEFAULT_AUTH_FAILURE_DELAY = Duration.ofMillis(1500);

    public IntakeOptions {
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(allowedNetworks, "allowedNetworks");
        Objects.requireNonNull(authFailureDelay, "authFailureDelay");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(authGuard, "authGuard");
        if (authFailureDelay.isNegative()) {
            throw new IllegalArgumentException("authFailureDelay must not be negative");
        }
    }

    /** No users, loopback networks, 1.5 s failed-AUTH delay, system clock, {@link AuthFailureLimit#DEFAULT}. */
    public static IntakeOptions defaults(String hostName) {
        return new IntakeOptions(hostName, UserDirectory.none(), NetworkAllowList.loopback(),
                DEFAULT_AUTH_FAILURE_DELAY, Sleeper.SYSTEM, Clock.systemUTC(),
                new AuthFailureGuard(AuthFailureLimit.DEFAULT, Clock.systemUTC()));
    }

    public IntakeOptions withUsers(UserDirectory v) {
        return new IntakeOptions(hostName, v, allowedNetworks, authFailureDelay, sleeper, clock, authGuard);
    }

    public IntakeOptions withAllowedNetworks(NetworkAllowList v) {
        return new IntakeOptions(hostName, users, v, authFailureDelay, sleeper, clock, authGuard);
    }

    public IntakeOptions withAuthFailureDelay(Duration v) {
        return new IntakeOptions(hostName, users, allowedNetworks, v, sleeper, clock, authGuard);
    }

    public IntakeOptions withSleeper(Sleeper v) {
        return new IntakeOptions(hostName, users, allowedNetworks, authFailureDelay, v, clock, authGuard);
    }

    public IntakeOptions withClock(Clock v) {
        return new IntakeOptions(hostName, users, allowedNetworks, authFailureDelay, sleeper, v, authGuard);
    }

    /** A new guard with {@code v}, on this options' clock (one guard per relay: give these options to every listener). */
    public IntakeOptions withAuthFailureLimit(AuthFailureLimit v) {
        return new IntakeOptions(hostName, users, allowedNetworks, authFailureDelay, sleeper, clock,
                new AuthFailureGuard(v, clock));
    }
}
