package dev.doublelock.lab;

import dev.doublelock.policy.mtasts.StsPolicy;
import org.xbill.DNS.Name;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The lab's MTA-STS scenarios (RFC 8461): each a mail domain {@code <name>.<zone>} with its own MX
 * ({@code mx.<domain>}, its own SMTP endpoint), its {@code _mta-sts} TXT record and its policy, served over HTTPS
 * at {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} by the lab's {@link MtaStsPolicyHost}. A scenario
 * says what an MTA-STS sender must do ({@link Expectation}); the lab judges each sender's sessions against it
 * ({@link #judge}).
 *
 * <p>Only what MTA-STS decides differs between the scenarios: every MX but the self-signed one has a good lab
 * certificate for its name, so a sender without MTA-STS delivers everywhere, and a refusal or a delivery is the
 * policy's doing. Names are part of the CLI contract (docs/design.md "Lab profiles"); new scenarios go at the end.
 */
public enum MtaStsScenario {
    ENFORCE_SELF_SIGNED("sts-enforce-self-signed", StsPolicy.Mode.ENFORCE, MxCertificate.SELF_SIGNED, true, true,
            Expectation.REFUSE, "enforce; the MX (listed) presents a self-signed certificate"),
    ENFORCE_MX_NOT_LISTED("sts-enforce-mx-not-listed", StsPolicy.Mode.ENFORCE, MxCertificate.GOOD, false, true,
            Expectation.REFUSE, "enforce; the MX has a good certificate for its name, but the policy lists only another host"),
    TESTING_BAD_MX("sts-testing-bad-mx", StsPolicy.Mode.TESTING, MxCertificate.GOOD, false, true,
            Expectation.DELIVER_AND_REPORT, "testing; the MX is not listed in the policy (enforce would refuse it)"),
    POLICY_HOST_INVALID_CERT("sts-policy-cert-invalid", StsPolicy.Mode.ENFORCE, MxCertificate.GOOD, false, false,
            Expectation.DELIVER, "enforce, MX not listed, but the policy host's certificate is self-signed: the policy "
            + "does not count (RFC 8461 §3.3)"),
    ENFORCE_GOOD("sts-enforce-good", StsPolicy.Mode.ENFORCE, MxCertificate.GOOD, true, true,
            Expectation.DELIVER, "none: enforce, the MX listed, good certificate");

    /** What a sender that implements RFC 8461 does here. */
    public enum Expectation {
        /** Must not deliver (§4.2, §5.1 enforce): deferring, refusing at or after the handshake, or never connecting. */
        REFUSE("must refuse"),
        /** Delivers, over TLS, as it would without MTA-STS. */
        DELIVER("must deliver"),
        /** Testing mode (§5): delivers, and reports the policy failure by TLS-RPT (RFC 8460). */
        DELIVER_AND_REPORT("must deliver, and report by TLS-RPT");

        private final String words;

        Expectation(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** The MX's certificate. */
    public enum MxCertificate { GOOD, SELF_SIGNED }

    /** A sender's result at one scenario. */
    public enum Outcome {
        PASSED, FAILED
    }

    /** The label of the MX host in every scenario domain: {@code mx.<domain>}. */
    public static final String MX_LABEL = "mx";
    /** The host an MX-not-listed policy names instead: it has no records at all. */
    public static final String LISTED_ELSEWHERE_LABEL = "listed-mx";
    /** The policy's max_age: one day, so a sender's cache forgets a lab restarted with other policies. */
    public static final long MAX_AGE_SECONDS = 86_400;
    /** Scenario MX ports on a loopback lab: the lab's base port + this + ordinal (clear of every profile's). */
    public static final int PORT_OFFSET = 100;

    private final String scenarioName;
    private final StsPolicy.Mode mode;
    private final MxCertificate mxCertificate;
    private final boolean mxListed;
    private final boolean policyHostCertificateValid;
    private final Expectation expectation;
    private final String description;

    MtaStsScenario(String scenarioName, StsPolicy.Mode mode, MxCertificate mxCertificate, boolean mxListed,
                   boolean policyHostCertificateValid, Expectation expectation, String description) {
        this.scenarioName = scenarioName;
        this.mode = mode;
        this.mxCertificate = mxCertificate;
        this.mxListed = mxListed;
        this.policyHostCertificateValid = policyHostCertificateValid;
        this.expectation = expectation;
        this.description = description;
    }

    /** The CLI/contract name, also the first label of the scenario's domain and the "profile" of its sessions. */
    public String scenarioName() {
        return scenarioName;
    }

    public StsPolicy.Mode mode() {
        return mode;
    }

    public MxCertificate mxCertificate() {
        return mxCertificate;
    }

    /** Whether the policy's mx: line names the MX the domain's MX record points to. */
    public boolean mxListed() {
        return mxListed;
    }

    /** Whether the policy host presents a valid (lab-CA-issued, right-name) certificate. */
    public boolean policyHostCertificateValid() {
        return policyHostCertificateValid;
    }

    public Expectation expectation() {
        return expectation;
    }

    public String description() {
        return description;
    }

    /** {@code <name>.<zone>}: the mail domain. */
    public Name domain(Name zone) {
        return Name.fromConstantString(scenarioName + "." + zone);
    }

    /** {@code mx.<domain>}: the MX host, the name its certificate carries. */
    public Name mxHost(Name zone) {
        return Name.fromConstantString(MX_LABEL + "." + domain(zone));
    }

    /** {@code mta-sts.<domain>}: the policy host (RFC 8461 §3.3). */
    public Name policyHost(Name zone) {
        return Name.fromConstantString("mta-sts." + domain(zone));
    }

    /** {@code _mta-sts.<domain>}: the TXT record's owner (RFC 8461 §3.1). */
    public Name recordName(Name zone) {
        return Name.fromConstantString("_mta-sts." + domain(zone));
    }

    /** The policy file (RFC 8461 §3.2), CRLF line ends as the RFC's examples. */
    public String policyText(Name zone) {
        String mx = mxListed ? mxHost(zone).toString(true)
                : LISTED_ELSEWHERE_LABEL + "." + domain(zone).toString(true);
        return "version: STSv1\r\nmode: " + mode.token() + "\r\nmx: " + mx + "\r\nmax_age: " + MAX_AGE_SECONDS + "\r\n";
    }

    /**
     * The TXT record: its id is the first 16 hex digits of the SHA-256 of the policy text, so the id changes exactly
     * when the policy does (a lab moved to another zone serves other mx names, hence other ids).
     */
    public String record(Name zone) {
        return "v=STSv1; id=" + policyId(policyText(zone));
    }

    static String policyId(String policyText) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(policyText.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }

    /**
     * Judges what a sender did here from the worst verdict of its sessions with the scenario's MX (empty: it never
     * connected). A scenario a sender must refuse is passed by any session that delivered nothing, and by not
     * connecting at all; a scenario it must deliver to is passed only by a delivery over TLS. Whether a testing-mode
     * failure was reported is shown beside this, from the TLS reports (they come a day later).
     *
     * @return empty when there is nothing to judge (never connected to a scenario that expects delivery)
     */
    public Optional<Outcome> judge(Optional<Verdict> worst) {
        if (expectation == Expectation.REFUSE) {
            return Optional.of(worst.isPresent() && delivered(worst.get()) ? Outcome.FAILED : Outcome.PASSED);
        }
        if (worst.isEmpty() || worst.get() == Verdict.ABANDONED) return Optional.empty();
        Verdict v = worst.get();
        return Optional.of(v == Verdict.DELIVERED || v == Verdict.DELIVERED_INSECURELY ? Outcome.PASSED : Outcome.FAILED);
    }

    private static boolean delivered(Verdict v) {
        return switch (v) {
            case DELIVERED, DELIVERED_INSECURELY, DELIVERED_DESPITE_DANE, PLAINTEXT_FALLBACK, NO_TLS_DELIVERED,
                 ACTED_ON_INJECTED_REPLY -> true;
            case REFUSED_AFTER_HANDSHAKE, REFUSED_AT_HANDSHAKE, ABANDONED -> false;
        };
    }

    /**
     * The lab profile whose TLS (protocols, suites, STARTTLS) the scenario's MX serves and whose rule decides a
     * session's verdict ("delivered" against "delivered insecurely"): good, or self-signed for the self-signed MX.
     */
    LabProfile tlsProfile() {
        return mxCertificate == MxCertificate.SELF_SIGNED ? LabProfile.SELF_SIGNED : LabProfile.GOOD;
    }

    public static Optional<MtaStsScenario> byName(String name) {
        return Arrays.stream(values()).filter(s -> s.scenarioName.equalsIgnoreCase(name)).findFirst();
    }

    @Override
    public String toString() {
        return scenarioName;
    }
}
