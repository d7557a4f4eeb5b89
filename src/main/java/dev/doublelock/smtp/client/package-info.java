/**
 * The MTA-grade SMTP client the relay delivers with and the checker talks to MX hosts with.
 * "Turn the key twice": connect and read the 220 greeting, EHLO (HELO if EHLO is refused), STARTTLS
 * offering only what the caller's {@link dev.doublelock.smtp.client.ClientTlsConfig} allows, re-EHLO
 * over TLS, then stop: {@link dev.doublelock.smtp.client.SmtpClientSession#observation()} describes the
 * live session so the caller's policy can judge it <em>before</em> MAIL FROM. Only then
 * {@link dev.doublelock.smtp.client.SmtpClientSession#send} runs MAIL, RCPT (pipelined, RFC 2920),
 * DATA with dot-stuffing, and reports per recipient.
 * <p>
 * Every read is bounded (line length, lines per reply) and has a deadline; every write and the TLS
 * handshake have a watchdog. Protocol trouble is a typed
 * {@link dev.doublelock.smtp.client.SmtpClientException} whose {@code isPermanent()} tells the queue
 * whether to retry. Level 1: uses smtp, tls and io.
 */
package dev.doublelock.smtp.client;
