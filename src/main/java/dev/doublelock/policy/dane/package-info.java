/**
 * DANE for SMTP (RFC 7672): TLSA records, published in DNSSEC-signed DNS at
 * {@code _25._tcp.MXHOST}, pin the certificate or trust anchor of a mail server.
 *
 * <p>{@link dev.doublelock.policy.dane.DaneLookup} decides whether a host has DANE at all (only
 * DNSSEC-validated records count; a validation failure forbids falling back to weaker delivery);
 * {@link dev.doublelock.policy.dane.TlsaMatcher} checks a presented chain against the records.
 * In SMTP only DANE-TA(2) and DANE-EE(3) are usable.
 */
package dev.doublelock.policy.dane;
