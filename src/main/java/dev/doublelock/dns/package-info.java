/**
 * Mail DNS: MX, address, TXT and TLSA lookups with typed outcomes and a DNSSEC "authentic" flag.
 *
 * <p>Mail transport security depends on DNS twice: MX records say which servers receive a domain's
 * mail, and TLSA (DANE, RFC 7672) or TXT (MTA-STS, RFC 8461; TLS-RPT, RFC 8460) records say how
 * those servers must be authenticated. DANE is only meaningful when the answers are DNSSEC-signed,
 * so {@link dev.doublelock.dns.DnsjavaResolver} validates signatures itself, starting from a trust
 * anchor (by default the IANA root KSK), rather than trusting the AD bit of a recursive server.
 * That needs a resolver that passes signatures through; {@link dev.doublelock.dns.DnssecSupport} says whether it
 * does, and behind one that withholds them answers are "not validated", never bogus.
 *
 * <p>Failures are values ({@link dev.doublelock.dns.Lookup}): a name that does not exist, a name
 * without the asked record type, a server failure, a DNSSEC validation failure and a timeout are
 * different outcomes that policy code must treat differently.
 */
package dev.doublelock.dns;
