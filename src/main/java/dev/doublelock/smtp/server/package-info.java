/**
 * The SMTP server (RFC 5321 with RFC 3207 STARTTLS) that the lab's broken receivers and the relay's
 * intake build on. {@link dev.doublelock.smtp.server.SmtpServer} accepts connections and runs one
 * session per virtual thread; a {@link dev.doublelock.smtp.server.SessionHandler} per connection
 * observes and decides. Hardening: lines are bounded and only CRLF ends them (bare LF/CR and NUL are
 * refused, so SMTP smuggling cannot split a message), every read has an idle and a per-line deadline,
 * writes and TLS handshakes have a watchdog, recipients and messages are capped without buffering the
 * excess, connections and errors are capped, and plaintext pipelined after STARTTLS is discarded
 * and reported.
 * <p>Refusals (texts in {@link dev.doublelock.smtp.Replies}): overlong command 500 5.5.6; bare LF/CR or
 * NUL in a command 500 5.5.2 (the line still ends only at CRLF, so "NOOP\n" alone waits for its CRLF
 * until the line deadline); in DATA the message is read to the real CRLF.CRLF and then refused: NUL
 * 550 5.6.0, bare LF/CR 550 5.6.11, a text line over 1000 octets 552 5.6.0, too large 552 5.3.4.
 * Recipients over the limit get 452 4.5.3 without reaching the handler. Timeouts give 421 4.4.2, too many
 * connections or errors 421 4.7.0. STARTTLS with parameters gives 501, when not advertised 502, after
 * TLS 503. Messages are held in memory up to {@link dev.doublelock.smtp.server.SmtpLimits#maxMessageBytes()}.
 * Level 1: uses smtp, tls and io.
 */
package dev.doublelock.smtp.server;
