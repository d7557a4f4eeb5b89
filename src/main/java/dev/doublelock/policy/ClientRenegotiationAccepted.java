package dev.doublelock.policy;

import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.Vulnerability;

/** CLIENT_RENEGOTIATION: the server renegotiates when the client asks (CPU exhaustion, CVE-2011-1473). */
final class ClientRenegotiationAccepted extends ExposureCheck {
    ClientRenegotiationAccepted() {
        super("client-renegotiation", Vulnerability.CLIENT_RENEGOTIATION, FindingCode.CLIENT_RENEGOTIATION,
                "Refuse client-initiated renegotiation: with OpenSSL set SSL_OP_NO_RENEGOTIATION (Postfix: "
                        + "tls_ssl_options = NO_RENEGOTIATION), or update the MTA and its TLS library.");
    }
}
