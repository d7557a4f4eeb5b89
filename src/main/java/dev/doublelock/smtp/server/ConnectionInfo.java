package dev.doublelock.smtp.server;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * Who connected, where and when.
 *
 * @param sessionId a server-unique id, also used in queue ids and logs
 */
public record ConnectionInfo(InetSocketAddress remote, InetSocketAddress local, Instant connectedAt, String sessionId) {
}
