package dev.doublelock.dns;

/**
 * The outcome of one DNS question, typed so that callers can tell "the name does not exist" from
 * "the server failed" from "DNSSEC says someone lied". Lookups never throw for these: a checker
 * reports them, a relay decides on them (DANE: {@link Bogus} and {@link ServFail} must never lead
 * to plaintext delivery).
 *
 * <p>{@code authentic} means the answer (or the proof of non-existence) was DNSSEC-validated locally
 * against a configured trust anchor, not merely that an upstream server set the AD bit.
 *
 * @param <T> the answer's value type
 */
public sealed interface Lookup<T> {

    /** Records of the asked type exist. */
    record Found<T>(T value, boolean authentic) implements Lookup<T> {
    }

    /** The name does not exist (RCODE 3). */
    record NxDomain<T>(boolean authentic) implements Lookup<T> {
    }

    /** The name exists, but has no records of the asked type. */
    record NoData<T>(boolean authentic) implements Lookup<T> {
    }

    /**
     * The domain publishes a null MX (RFC 7505: a single {@code 0 .}): it accepts no mail. Only
     * {@link MailResolver#mx(String)} produces this outcome.
     */
    record NullMx<T>(boolean authentic) implements Lookup<T> {
    }

    /** The resolver could not answer (SERVFAIL, REFUSED, network error). Says nothing about the name. */
    record ServFail<T>(String reason) implements Lookup<T> {
    }

    /**
     * DNSSEC validation failed: the answer is signed under a trust anchor but does not verify. Never the outcome
     * merely because the resolver withholds DNSSEC data ({@link MailResolver#dnssecSupport()}): such answers come
     * back not authentic instead.
     */
    record Bogus<T>(String reason) implements Lookup<T> {
    }

    /** No answer within the configured timeout. */
    record Timeout<T>() implements Lookup<T> {
    }

    /** True for {@link Found}, {@link NxDomain}, {@link NoData} and {@link NullMx} answers that were validated. */
    default boolean authentic() {
        return switch (this) {
            case Found<T> f -> f.authentic();
            case NxDomain<T> n -> n.authentic();
            case NoData<T> n -> n.authentic();
            case NullMx<T> n -> n.authentic();
            case ServFail<T> s -> false;
            case Bogus<T> b -> false;
            case Timeout<T> t -> false;
        };
    }

    /** True when the DNS gave a definite answer (records, NXDOMAIN, NODATA, null MX), false for failures. */
    default boolean answered() {
        return this instanceof Found || this instanceof NxDomain || this instanceof NoData || this instanceof NullMx;
    }
}
