/**
 * The relay: an outbound mail gateway that delivers only over TLS meeting the policy and never loses
 * a message it has said 250 to. {@link dev.doublelock.relay.Relay} wires the durable queue, the intake
 * listeners ({@code relay.intake}), the delivery engine ({@code relay.delivery}) and a Prometheus
 * endpoint from one {@link dev.doublelock.relay.RelayOptions}. Level 3: it never reads config files;
 * {@code dev.doublelock.config} builds the options.
 */
package dev.doublelock.relay;
