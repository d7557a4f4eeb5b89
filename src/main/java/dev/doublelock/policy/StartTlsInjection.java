package dev.doublelock.policy;

import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.Vulnerability;

/** STARTTLS_INJECTION: commands sent in plaintext after STARTTLS are executed inside the TLS session. */
final class StartTlsInjection extends ExposureCheck {
    StartTlsInjection() {
        super("starttls-injection", Vulnerability.STARTTLS_INJECTION, FindingCode.STARTTLS_INJECTION,
                "Update the MTA: after STARTTLS a server must discard everything it buffered before the handshake "
                        + "(Postfix ≥ 2.8.4 and every maintained MTA do; CVE-2011-0411).");
    }
}
