package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;
import dev.doublelock.smtp.client.DeliveryResult;
import dev.doublelock.smtp.client.SmtpClientException;

import java.util.List;

/** How one attempt at one hop ended. Every variant carries what the policy found on the session. */
sealed interface HopOutcome {
    String ip();

    TlsUsed tls();

    List<Finding> findings();

    /** The transaction ran; per-recipient results are in {@code result}. */
    record Sent(String ip, TlsUsed tls, List<Finding> findings, boolean wouldRefuse, DeliveryResult result)
            implements HopOutcome {
    }

    /** The policy (or the message's REQUIRETLS) refused this server: nothing was sent. */
    record Refused(String ip, TlsUsed tls, List<Finding> findings, String reason) implements HopOutcome {
    }

    /** The conversation failed (network, 4xx/5xx before the transaction, local reason). */
    record Failed(String ip, TlsUsed tls, List<Finding> findings, SmtpClientException error) implements HopOutcome {
    }
}
