package dev.doublelock.lab;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * The optional report mail: after a sender delivers to a defect profile, tell its envelope sender which
 * defects its system ignored. Off by default.
 *
 * @param enabled          send reports at all
 * @param from             the From: header address of reports (the envelope sender is always null, so
 *                         nothing ever answers a report and no loop can form)
 * @param relay            a smarthost to send through; empty = the recipient domain's MX hosts on port 25
 * @param perDomainInterval at most one report per MAIL FROM domain in this interval
 */
public record ReportMailOptions(boolean enabled, String from, Optional<InetSocketAddress> relay, Duration perDomainInterval) {
    public static ReportMailOptions disabled() {
        return new ReportMailOptions(false, "postmaster@localhost", Optional.empty(), Duration.ofHours(24));
    }
}
