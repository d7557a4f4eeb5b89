/**
 * The relay's intake: who may hand mail to the relay, and the promise behind its 250.
 *
 * <p>Two listeners share one SMTP server implementation ({@code smtp.server}) with its hardening
 * (bounded lines and messages, CRLF-only framing against SMTP smuggling, STARTTLS command injection
 * discarded, an error cap). The <em>submission</em> listener (RFC 6409, port 587) offers AUTH PLAIN
 * and LOGIN (RFC 4954) only after STARTTLS (RFC 3207) and accepts mail only from authenticated users;
 * passwords are stored as PBKDF2-HMAC-SHA256 hashes and failed attempts are delayed. The
 * <em>relay</em> listener (port 25) accepts mail only from allow-listed client networks and refuses
 * every other RCPT TO with 554 5.7.1, so the relay is never open.
 *
 * <p>Each accepted message gets a Received: trace header (RFC 5321 4.4, RFC 3848 ESMTPSA) and is
 * committed to the {@link dev.doublelock.queue.QueueStore} before the 250 reply names its queue id;
 * if the store fails the client gets 451 4.3.0 and keeps the message.
 */
package dev.doublelock.relay.intake;
