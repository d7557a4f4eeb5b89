/**
 * What the relay tells its operator about its own activity: what waits and why, which findings made the policy
 * refuse sessions over time, and in testing mode the impact report ("if you enforced now: N messages to M domains
 * would wait"). The queue records what happened ({@code queue.QueueStore#waitingByDomain}, {@code refusals},
 * {@code wouldRefuse}); the classes here only summarise it, in words, for the relay page and {@code doublelock relay
 * impact}, which share {@link dev.doublelock.relay.impact.RelayOverview} and {@link dev.doublelock.relay.impact.ImpactReport}.
 */
package dev.doublelock.relay.impact;
