package dev.doublelock.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One try at one MX host, as written to the append-only delivery history. Everything the operator
 * needs to answer "why was this not delivered": where, over what TLS, the policy's verdict with its
 * finding codes, and the server's last reply. Fields that did not apply (no TLS, no reply) are
 * {@code null}, or {@code 0} for {@code replyCode}.
 *
 * @param findingCodes every notable finding (warnings too), as recorded
 * @param outcome      one of {@code delivered}, {@code deferred}, {@code refused} (policy said no),
 *                     {@code bounced}
 * @param domain       the recipient domain the attempt was for, or {@code null} (attempts recorded before it was kept)
 * @param refusalCodes the codes of the findings that made the policy refuse this session ({@code refused}) or, in
 *                     testing mode, would have refused it ({@code wouldRefuse}); empty otherwise
 * @param wouldRefuse  testing mode: the policy would have refused this session, and the message was handed over anyway
 */
public record Attempt(Instant at, String mxHost, String ip, String tlsProtocol, String tlsCipher,
                      String policyVerdict, List<String> findingCodes, String findingsText, int replyCode,
                      String enhanced, String replyText, Duration duration, String outcome, String domain,
                      List<String> refusalCodes, boolean wouldRefuse) {

    /** The values {@link #outcome} may take. */
    public static final Set<String> OUTCOMES = Set.of("delivered", "deferred", "refused", "bounced");

    public Attempt {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(duration, "duration");
        findingCodes = tokens(findingCodes);
        refusalCodes = tokens(refusalCodes);
        if (!OUTCOMES.contains(outcome)) {
            throw new IllegalArgumentException("outcome must be one of " + OUTCOMES + ", not " + outcome);
        }
        if (replyCode != 0 && (replyCode < 200 || replyCode > 599)) {
            throw new IllegalArgumentException("replyCode must be an SMTP code 200..599 or 0 for none: " + replyCode);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration is negative: " + duration);
        }
    }

    /** An attempt without the recipient domain and the refusal's codes (as recorded before they were kept). */
    public Attempt(Instant at, String mxHost, String ip, String tlsProtocol, String tlsCipher, String policyVerdict,
                   List<String> findingCodes, String findingsText, int replyCode, String enhanced, String replyText,
                   Duration duration, String outcome) {
        this(at, mxHost, ip, tlsProtocol, tlsCipher, policyVerdict, findingCodes, findingsText, replyCode, enhanced,
                replyText, duration, outcome, null, List.of(), false);
    }

    private static List<String> tokens(List<String> codes) {
        List<String> out = codes == null ? List.of() : List.copyOf(codes);
        for (String code : out) {
            if (code.isBlank() || code.chars().anyMatch(c -> c == ',' || Character.isWhitespace(c))) {
                throw new IllegalArgumentException("finding code must be one token without commas or spaces: '"
                        + code + "'");
            }
        }
        return out;
    }
}
