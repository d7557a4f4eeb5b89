package dev.doublelock.policy;

import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.Vulnerability;

/** CCS_INJECTION: an early ChangeCipherSpec is accepted, so a man in the middle can force weak keys. */
final class CcsInjection extends ExposureCheck {
    CcsInjection() {
        super("ccs-injection", Vulnerability.CCS_INJECTION, FindingCode.CCS_INJECTION,
                "Update OpenSSL (0.9.8za, 1.0.0m, 1.0.1h and later fixed CVE-2014-0224) and restart the MTA.");
    }
}
