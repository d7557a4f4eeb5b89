package dev.doublelock.policy;

import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.Vulnerability;

/** ROBOT: the server's answers to RSA key exchanges depend on the PKCS#1 padding (a Bleichenbacher oracle). */
final class Robot extends ExposureCheck {
    Robot() {
        super("robot", Vulnerability.ROBOT, FindingCode.ROBOT,
                "Turn off the static RSA key exchange (TLS_RSA_* suites; ECDHE is what BSI recommends anyway) and update the "
                        + "TLS library or appliance firmware; see robotattack.org for vendors' fixes.");
    }
}
