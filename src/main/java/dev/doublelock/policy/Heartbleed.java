package dev.doublelock.policy;

import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.Vulnerability;

/** HEARTBLEED: a heartbeat request that claims more than it carries is answered with server memory. */
final class Heartbleed extends ExposureCheck {
    Heartbleed() {
        super("heartbleed", Vulnerability.HEARTBLEED, FindingCode.HEARTBLEED,
                "Update OpenSSL at once (1.0.1g fixed it), restart every process that uses it, then replace the key and "
                        + "certificate and every password or session that may have leaked.");
    }
}
