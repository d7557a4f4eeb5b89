/**
 * Internet messages as doublelock writes them: the one home of RFC 5322 (dates, header fields folded within the
 * line limits, trace fields) and of MIME's {@code multipart/report} (RFC 6522) — used by the relay's DSNs and delay
 * notices, the lab's report mail and TLS reports — so that no component builds a message by hand. Nothing here
 * does I/O.
 */
package dev.doublelock.message;
