package dev.doublelock.policy;

import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.Vulnerability;

/** SSL2_ACCEPTED: the server speaks SSL 2.0 (RFC 6176; DROWN breaks TLS with the same RSA key). */
final class Sslv2Accepted extends ExposureCheck {
    Sslv2Accepted() {
        super("sslv2", Vulnerability.SSLV2, FindingCode.SSL2_ACCEPTED,
                "Disable SSL 2.0 (OpenSSL: build without it or use a maintained version; every MTA: remove SSLv2 from "
                        + "the protocol list) and replace the RSA key if it was ever used on an SSL 2.0 server.");
    }
}
