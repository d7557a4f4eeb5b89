package dev.doublelock.lab;

import java.net.InetSocketAddress;

/**
 * Where one profile listens and which host name its certificates are for.
 *
 * @param profile the profile
 * @param bind    address and port (port 0 = any free port)
 * @param hostName the name in the profile's certificate (the lab host name unless configured per profile)
 */
public record LabEndpoint(LabProfile profile, InetSocketAddress bind, String hostName) {
}
