package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Why one recipient was not delivered (yet), for a DSN.
 *
 * @param recipient      the envelope recipient
 * @param status         RFC 3463 status: 5.x.x for a bounce, 4.x.x for a delay (e.g. 5.7.5, 4.7.5, 5.1.1)
 * @param remoteMta      the server that answered or was refused, if any
 * @param diagnosticCode the remote SMTP reply ("550 5.1.1 No such user"), if there was one
 * @param findings       the policy findings that made the relay refuse the server(s)
 * @param explanation    one sentence in plain words
 */
public record RecipientFailure(String recipient, String status, Optional<String> remoteMta,
                               Optional<String> diagnosticCode, List<Finding> findings, String explanation) {
    private static final java.util.regex.Pattern STATUS = java.util.regex.Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");
    public RecipientFailure {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(status, "status");
        if (!STATUS.matcher(status).matches()) {
            throw new IllegalArgumentException("status must be an RFC 3463 code like 5.7.5, got " + status);
        }
        Objects.requireNonNull(remoteMta, "remoteMta");
        Objects.requireNonNull(diagnosticCode, "diagnosticCode");
        findings = List.copyOf(findings);
        explanation = explanation == null ? "" : explanation;
    }

    /** The same failure as a delay (status class 4). */
    public RecipientFailure asDelay() {
        return new RecipientFailure(recipient, "4" + status.substring(1), remoteMta, diagnosticCode, findings, explanation);
    }

    /** The same failure as a final bounce (status class 5). */
    public RecipientFailure asBounce() {
        return new RecipientFailure(recipient, "5" + status.substring(1), remoteMta, diagnosticCode, findings, explanation);
    }

    /**
     * The reason in one line for the operator ({@code queue list}, the queue's reason column): the status, where,
     * and either the findings in words with their codes or the remote's reply, e.g. {@code 4.7.5 TLS refused at
     * mx.example.net: the receiving server's certificate expired on 2024-01-02 [EXPIRED_CERTIFICATE]}.
     */
    public String operatorReason() {
        String at = remoteMta.map(m -> " at " + m).orElse("");
        if (!findings.isEmpty()) {
            return status + " TLS refused by policy" + at + ": " + findings.stream().map(FindingWords::lead).distinct()
                    .collect(java.util.stream.Collectors.joining("; "));
        }
        if (diagnosticCode.isPresent()) {
            return status + at + " said: " + diagnosticCode.get();
        }
        return status + at + (explanation.isBlank() ? "" : " " + explanation);
    }
}
