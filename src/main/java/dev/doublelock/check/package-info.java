/**
 * The checker (level 2): does a mail domain's receiving side meet a TLS policy? A {@link dev.doublelock.check.Target}
 * (domain or host:port) goes through DNS (MX, DNSSEC, DANE TLSA, MTA-STS, TLS-RPT), the record-level prober
 * (every MX host address over SMTP STARTTLS) and the policy engine; the result is a
 * {@link dev.doublelock.check.CheckReport} with a verdict — COMPLIANT, NON_COMPLIANT (a FAIL finding) or
 * INCOMPLETE (something could not be checked, which is not a failure) — rendered as text, JSON
 * ({@code docs/check-json-schema.json}) or one HTML page. {@link dev.doublelock.check.BatchRunner} streams
 * many targets with bounded concurrency and memory.
 */
package dev.doublelock.check;
