/**
 * The transport decision, level 1.5: the one place where "deliver or refuse, and why" is decided.
 *
 * <p>Step one, {@link dev.doublelock.policy.transport.TransportDecision#require}: the local policy and mode, what
 * the recipient domain publishes (DNSSEC of its MX chain, DANE TLSA records, MTA-STS) and what the message asks
 * for (REQUIRETLS, {@code TLS-Required: No}) become a {@link dev.doublelock.policy.transport.TransportRequirement}
 * per MX host. Step two, {@link dev.doublelock.policy.transport.TransportDecision#judge}: a requirement and an
 * observation (the prober's {@link dev.doublelock.tls.ServerObservation} or a live session's
 * {@link dev.doublelock.tls.SessionObservation}) become a {@link dev.doublelock.policy.transport.TransportVerdict}.
 * The checker and the relay both call these two methods and never decide on their own.
 *
 * <p>Pure: no sockets, no DNS, no files, no clock beyond the {@link dev.doublelock.policy.PolicyContext}. The
 * LayeringTest forbids I/O here.
 */
package dev.doublelock.policy.transport;
