package dev.doublelock.smtp.server;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;

/**
 * Layers server-mode TLS over an accepted plaintext socket after "220 Ready to start TLS", e.g.
 * {@code (SSLSocket) ctx.getSocketFactory().createSocket(plain, null, true)} followed by
 * {@code setUseClientMode(false)}. It must not start the handshake: the server does, with a timeout,
 * and reports the result. The lab supplies one per profile with its deliberately broken SSLContext.
 */
@FunctionalInterface
public interface TlsUpgrader {
    SSLSocket upgrade(Socket plain) throws IOException;
}
