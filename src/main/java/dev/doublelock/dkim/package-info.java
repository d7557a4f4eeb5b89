/**
 * DKIM signatures (RFC 6376) for the mail doublelock writes itself (TLS reports, RFC 8460 §5.3 requires them):
 * rsa-sha256 (or ed25519-sha256, RFC 8463) with relaxed/relaxed canonicalization. Pure: no I/O.
 */
package dev.doublelock.dkim;
