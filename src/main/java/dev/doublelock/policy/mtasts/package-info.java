/**
 * MTA-STS (RFC 8461) and the TLS-RPT record (RFC 8460).
 *
 * <p>MTA-STS lets a domain without DNSSEC say "deliver to me only over TLS with a valid certificate
 * for one of these MX hosts": a TXT record at {@code _mta-sts.DOMAIN} announces a policy and its id,
 * and the policy itself is served over HTTPS at {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt},
 * so its authenticity rests on the Web PKI. Senders cache policies for {@code max_age} seconds.
 *
 * <p>Parsers ({@link dev.doublelock.policy.mtasts.StsRecord}, {@link dev.doublelock.policy.mtasts.StsPolicy},
 * {@link dev.doublelock.policy.mtasts.TlsRptRecord}) are pure; {@link dev.doublelock.policy.mtasts.StsFetcher}
 * does the bounded HTTPS GET (through the JDK's client, or — for the relay — by itself, {@code io.ResolvedHttps}, to
 * an address from the caller's resolver); {@link dev.doublelock.policy.mtasts.StsLookup} ties DNS, cache and fetch together.
 */
package dev.doublelock.policy.mtasts;
