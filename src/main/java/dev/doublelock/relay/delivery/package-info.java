/**
 * The relay's delivery side: "turn the key twice". For each queued message and recipient domain a
 * {@link dev.doublelock.relay.delivery.Router} finds the hops (static routes like Postfix's transport map,
 * or MX records); each hop gets EHLO and STARTTLS offering only what the domain's policy allows; the live
 * session is judged by the same {@link dev.doublelock.policy.PolicyEngine} as the checker, BEFORE MAIL FROM.
 * A session that fails is quit and the next hop tried; when none passes, the message waits on the retry
 * schedule, the sender gets a delayed-delivery notice once, and finally a bounce
 * ({@link dev.doublelock.relay.delivery.DsnBuilder}, RFC 3464) naming each finding in plain words.
 *
 * <p>The recipient domain's own publications only ever raise the bar ({@link
 * dev.doublelock.relay.delivery.DomainSecurity}): DANE (RFC 7672) for DNSSEC-signed MX hosts with TLSA records —
 * TLS mandatory, the chain authenticated by TLSA instead of the Web PKI — then MTA-STS {@code enforce} (RFC 8461),
 * then the local policy map. REQUIRETLS (RFC 8689) demands verified TLS to a next hop that advertises REQUIRETLS;
 * {@code TLS-Required: No} waives the local policy's refusals and the domain's DANE/MTA-STS policies. Each
 * attempt records which mechanism decided ("dane", "mta-sts", or the local policy's name).
 *
 * <p>Messages of one claim batch for the same recipient domains are delivered one after the other and share an
 * SMTP connection when their decision for a hop address is identical ({@link
 * dev.doublelock.relay.delivery.SessionPool}): the session is judged once, before the first MAIL FROM; the next
 * messages follow after RSET, each recording the session's TLS details and findings as its own attempt.
 *
 * <p>Entry point: {@link dev.doublelock.relay.delivery.DeliveryWorker}. Level 3: uses queue, smtp.client,
 * policy, tls, dns, finding; never config, cli, web or lab.
 */
package dev.doublelock.relay.delivery;
