package dev.doublelock.policy;

import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.Vulnerability;

/** NO_FALLBACK_SCSV: a server with several versions completes a downgraded handshake that carries TLS_FALLBACK_SCSV. */
final class FallbackScsvMissing extends ExposureCheck {
    FallbackScsvMissing() {
        super("fallback-scsv", Vulnerability.NO_FALLBACK_SCSV, FindingCode.NO_FALLBACK_SCSV,
                "Update the TLS library (OpenSSL ≥ 1.0.1j, GnuTLS ≥ 3.3.10 and every maintained one honour RFC 7507), "
                        + "or turn off the old protocol versions.");
    }
}
