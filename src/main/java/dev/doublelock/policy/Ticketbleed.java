package dev.doublelock.policy;

import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.Vulnerability;

/** TICKETBLEED: the server pads the session ID a client sends with a ticket with its own memory (F5, CVE-2016-9244). */
final class Ticketbleed extends ExposureCheck {
    Ticketbleed() {
        super("ticketbleed", Vulnerability.TICKETBLEED, FindingCode.TICKETBLEED,
                "Update the load balancer or TLS appliance (F5 BIG-IP: the fixes of K05121675), or turn off session tickets "
                        + "on its TLS profile until then.");
    }
}
