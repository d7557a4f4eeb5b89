/**
 * SMTP wire vocabulary (RFC 5321, RFC 3207, RFC 3463): typed replies and the one table of reply texts,
 * mailboxes and paths with their ESMTP parameters, a bounded CRLF-only line reader and dot-stuffing.
 * Level 0: shared by the SMTP server and client; depends on nothing else in doublelock.
 */
package dev.doublelock.smtp;
