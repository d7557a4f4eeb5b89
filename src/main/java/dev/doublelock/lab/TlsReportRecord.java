package dev.doublelock.lab;

import dev.doublelock.tlsrpt.ReceivedReport;

import java.time.Instant;
import java.util.Objects;

/**
 * A TLS report (RFC 8460) the lab received, as stored: when, how, from which address, and the report.
 *
 * @param id            database id; -1 before it is stored
 * @param clientAddress the SMTP client or HTTP client address
 */
public record TlsReportRecord(long id, Instant receivedAt, Via via, String clientAddress, ReceivedReport report) {
    /** How the report came: by mail to a {@code tlsrpt@} address of the lab, or POSTed to the lab's web page (/tlsrpt). */
    public enum Via { MAIL, POST }

    public TlsReportRecord {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(via, "via");
        Objects.requireNonNull(report, "report");
    }
}
