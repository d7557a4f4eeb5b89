package dev.doublelock.dns.server;

import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

import java.util.List;
import java.util.Optional;

/**
 * Defects a zone serves on purpose, so that a test or a lab scenario can see what a validating resolver and the
 * mail sender behind it make of them: questions answered SERVFAIL, and RRsets whose RRSIG is corrupted or expired
 * (both bogus, RFC 4035 §5.3). Every other answer is as correct as ever. {@link #NONE} for a healthy zone.
 *
 * @param servFail   questions (owner and type) the server answers SERVFAIL, whatever the zone holds
 * @param signatures RRsets signed wrongly on purpose; at most one fault per RRset
 */
public record ZoneFaults(List<Question> servFail, List<SignatureFault> signatures) {
    public static final ZoneFaults NONE = new ZoneFaults(List.of(), List.of());

    /** A question: owner name and RR type. */
    public record Question(Name name, int type) {
        @Override
        public String toString() {
            return name + " " + Type.string(type);
        }
    }

    /** How an RRset's signature is broken. */
    public enum SignatureDefect {
        /** Signed by the right key, then one bit of the signature flipped: it does not verify. */
        CORRUPTED,
        /** Correctly signed, but with a validity window that ended a week ago (inception three weeks ago). */
        EXPIRED
    }

    /** One RRset signed wrongly. */
    public record SignatureFault(Name owner, int type, SignatureDefect defect) {
    }

    public ZoneFaults {
        servFail = List.copyOf(servFail);
        signatures = List.copyOf(signatures);
        if (signatures.stream().map(f -> new Question(f.owner(), f.type())).distinct().count() != signatures.size()) {
            throw new IllegalArgumentException("at most one signature fault per RRset: " + signatures);
        }
    }

    /** True when the server must answer SERVFAIL to this question. */
    public boolean servFails(Name name, int type) {
        return servFail.contains(new Question(name, type));
    }

    /** The defect of an RRset's signature, if it has one. */
    public Optional<SignatureDefect> signatureDefect(Name owner, int type) {
        return signatures.stream().filter(f -> f.owner().equals(owner) && f.type() == type)
                .map(SignatureFault::defect).findFirst();
    }

    public ZoneFaults withServFail(Question q) {
        if (servFail.contains(q)) return this;
        List<Question> more = new java.util.ArrayList<>(servFail);
        more.add(q);
        return new ZoneFaults(more, signatures);
    }

    public ZoneFaults withSignatureFault(SignatureFault f) {
        List<SignatureFault> more = new java.util.ArrayList<>(signatures);
        more.add(f);
        return new ZoneFaults(servFail, more);
    }

    public boolean isEmpty() {
        return servFail.isEmpty() && signatures.isEmpty();
    }
}
