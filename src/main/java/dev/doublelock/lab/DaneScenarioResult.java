package dev.doublelock.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One sender at one DANE scenario: what RFC 7672 requires, what the lab saw (the worst verdict of the sender's
 * sessions there, none if it never connected) and the judgement. A DANE sender defers a bogus or failed TLSA lookup
 * before it connects, so "no session" at a scenario that requires deferral is what a passing sender leaves — the lab
 * cannot tell it from a sender that was never given mail for that domain, and says so ({@link Result#NOT_SEEN}).
 *
 * @param profile     the scenario's profile
 * @param expectation what the sender must do
 * @param verdict     the worst verdict of its sessions there, if it had any
 * @param result      passed, failed, or not seen
 */
public record DaneScenarioResult(LabProfile profile, SenderExpectation expectation, Optional<Verdict> verdict,
                                 Result result) {
    /** The judgement. */
    public enum Result {
        PASSED("passed"),
        FAILED("failed"),
        /** No session: right where it must defer, if it was sent mail for the domain; unknown otherwise. */
        NOT_SEEN("no session");

        private final String words;

        Result(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** The judgement of a sender's verdict (empty: no session) at a DANE scenario's profile. */
    public static DaneScenarioResult of(LabProfile profile, Optional<Verdict> verdict) {
        SenderExpectation e = profile.dane().orElseThrow(() -> new IllegalArgumentException(profile + " is no DANE scenario"))
                .expectation();
        Result r;
        if (verdict.isEmpty()) {
            r = Result.NOT_SEEN;
        } else if (e.delivers()) {
            r = verdict.get() == Verdict.DELIVERED ? Result.PASSED : Result.FAILED;
        } else {
            r = verdict.get().failsTest() ? Result.FAILED : Result.PASSED;
        }
        return new DaneScenarioResult(profile, e, verdict, r);
    }

    /** Every DANE scenario for one sender's verdicts, in profile order; empty if it was seen at none of them. */
    public static List<DaneScenarioResult> of(Map<LabProfile, Verdict> verdicts) {
        if (verdicts.keySet().stream().noneMatch(p -> p.dane().isPresent())) return List.of();
        List<DaneScenarioResult> out = new ArrayList<>();
        for (LabProfile p : LabProfile.values()) {
            if (p.dane().isPresent()) out.add(of(p, Optional.ofNullable(verdicts.get(p))));
        }
        return out;
    }

    /** "dane-servfail: must defer; no session (right if it was sent mail there: a DANE sender defers before connecting)". */
    public String line() {
        String saw = verdict.map(v -> v.name() + " (" + v.words() + ")").orElse("no session");
        String judged = switch (result) {
            case PASSED -> "passed";
            case FAILED -> "FAILED";
            case NOT_SEEN -> expectation.delivers() ? "not tried (send it mail)"
                    : "passed if it was sent mail there (a DANE sender defers before connecting)";
        };
        return profile.profileName() + ": must " + expectation.words() + "; saw " + saw + ": " + judged;
    }
}
