package dev.doublelock.lab;

import dev.doublelock.smtp.server.TlsUpgrader;
import dev.doublelock.tls.ClientHelloPeek;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TLS of the lab's SNI listener: reads the sender's ClientHello itself ({@link ClientHelloPeek}, bounded), picks
 * the profile its server name selects ({@link SniProfiles}), and hands the connection, with the bytes it read, to that
 * profile's own TLS (certificate, protocol versions, suites). No name, an unknown one or an unreadable hello: good.
 */
final class SniTls implements TlsUpgrader {
    /** How long the ClientHello may take to arrive (the server's handshake deadline also applies). */
    static final int HELLO_TIMEOUT_MILLIS = 30_000;

    /** At most this many handshakes in flight are remembered (the server caps connections far lower). */
    static final int MAX_PENDING = 10_000;

    /** What the ClientHello of one connection chose: the profile, and the name it sent (if any). */
    record Choice(LabProfile profile, Optional<String> serverName) {
    }

    private final SniProfiles profiles;
    private final Map<LabProfile, ProfileTls> tls;
    private final Map<InetSocketAddress, Choice> pending = new ConcurrentHashMap<>();

    SniTls(SniProfiles profiles, Map<LabProfile, ProfileTls> tls) {
        if (!tls.containsKey(LabProfile.GOOD)) throw new IllegalArgumentException("the SNI listener needs good's TLS");
        this.profiles = profiles;
        this.tls = Map.copyOf(tls);
    }

    @Override
    public SSLSocket upgrade(Socket plain) throws IOException {
        plain.setSoTimeout(HELLO_TIMEOUT_MILLIS);
        ClientHelloPeek hello = ClientHelloPeek.read(plain.getInputStream());
        LabProfile chosen = hello.status() == ClientHelloPeek.Status.CLIENT_HELLO
                ? profiles.select(hello.serverName()) : LabProfile.GOOD;
        ProfileTls profileTls = tls.getOrDefault(chosen, tls.get(LabProfile.GOOD));
        if (plain.getRemoteSocketAddress() instanceof InetSocketAddress remote && pending.size() < MAX_PENDING) {
            pending.put(remote, new Choice(profileTls == tls.get(chosen) ? chosen : LabProfile.GOOD, hello.serverName()));
        }
        return profileTls.upgrade(plain, new ByteArrayInputStream(hello.consumed()));
    }

    /**
     * What the handshake of the connection from {@code remote} chose, once (the session's recorder takes it when the
     * handshake is over; the JDK reports no server name for a handshake it refuses before reading that extension).
     */
    Optional<Choice> take(InetSocketAddress remote) {
        return Optional.ofNullable(pending.remove(remote));
    }
}
