/**
 * The lab's own authoritative DNS: zones built from typed records ({@link dev.doublelock.dns.server.ZoneBuilder}),
 * signed in code with ECDSA P-256 keys (DNSSEC algorithm 13, {@link dev.doublelock.dns.server.ZoneSigner},
 * {@link dev.doublelock.dns.server.ZoneKeys}) with an NSEC chain for authenticated denial, and served over UDP and
 * TCP by a bounded, rate-limited server ({@link dev.doublelock.dns.server.AuthoritativeServer}) that answers only
 * for its zone and never recurses.
 *
 * <p>A mechanism (level 1): it knows DNS, not the lab. The lab decides which names the zone holds.
 */
package dev.doublelock.dns.server;
