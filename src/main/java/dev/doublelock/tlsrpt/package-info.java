/**
 * SMTP TLS Reporting (RFC 8460), the one home of the standard on the sending side: what one delivery session
 * contributes to a report ({@link SessionResult}), the daily counts as stored ({@link ResultCount}), and the
 * aggregate report a receiving domain gets ({@link AggregateReport}, JSON as in RFC 8460 §4.4). Pure: no I/O.
 */
package dev.doublelock.tlsrpt;
