/**
 * The SMTP server (RFC 5321 with RFC 3207 STARTTLS) that the lab's broken receivers and the relay's
 * intake build on. {@link dev.doublelock.smtp.server.SmtpServer} accepts connections and runs one
 * session per virtual thread; a {@link dev.doublelock.smtp.server.SessionHandler} per connection
 * observes and decides. Hardening: lines are bounded and only CRLF ends them (bare LF/CR and NUL are
 * refused, so SMTP smuggling cannot split a message), every read has an idle and a per-line deadline,
 * writes and TLS handshakes have a watchdog, recipients and messages are capped without buffering the
 * excess, connections and errors are capped, and plaintext pipelined after STARTTLS is discarded
 * and reported. Level 1: uses smtp, tls and io.
 */
package dev.doublelock.smtp.server;
