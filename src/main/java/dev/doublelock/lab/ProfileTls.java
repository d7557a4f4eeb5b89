package dev.doublelock.lab;

import dev.doublelock.smtp.server.TlsUpgrader;
import dev.doublelock.tls.TlsVersion;
import dev.doublelock.tls.pki.CertifiedKey;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/** The server-side TLS of one lab profile: its own SSLContext, protocols, suites and groups. */
final class ProfileTls implements TlsUpgrader {
    private final LabProfile profile;
    private final SSLContext context;

    ProfileTls(LabProfile profile, CertifiedKey key) {
        this.profile = profile;
        try {
            this.context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {key.keyManager()}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context of lab profile " + profile + ": " + e, e);
        }
        if (profile.tls() == LabProfile.Tls.DHE_1024) verifyDheGroup(key);
    }

    /** dhe-1024 must serve exactly a {@value LabProfile#DHE_GROUP_BITS}-bit group; refuse to start otherwise. */
    private void verifyDheGroup(CertifiedKey key) {
        int bits;
        try {
            bits = DheGroupCheck.serverGroupBits(context,
                    parameters(context.getSupportedSSLParameters().getCipherSuites()), key.leaf());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot verify the DH group of lab profile " + profile + ": " + e, e);
        }
        if (bits != LabProfile.DHE_GROUP_BITS) {
            throw new IllegalStateException("lab profile " + profile + " would serve a " + bits + "-bit DH group, not "
                    + LabProfile.DHE_GROUP_BITS + ": this JVM made a TLS handshake before the lab set "
                    + "jdk.tls.ephemeralDHKeySize. Start the lab in its own process (doublelock lab).");
        }
    }

    @Override
    public SSLSocket upgrade(java.net.Socket plain) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(
                plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        socket.setUseClientMode(false);
        socket.setSSLParameters(parameters(socket.getSupportedCipherSuites()));
        return socket;
    }

    /**
     * As {@link #upgrade(java.net.Socket)}, for a connection whose first bytes (the ClientHello, read to choose this
     * profile) were already read: the engine reads {@code consumed} first, then the socket.
     */
    SSLSocket upgrade(java.net.Socket plain, java.io.InputStream consumed) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, consumed, true); // server mode
        socket.setSSLParameters(parameters(socket.getSupportedCipherSuites()));
        return socket;
    }

    SSLParameters parameters(String[] supported) {
        SSLParameters p = new SSLParameters();
        p.setProtocols(profile.tls().versions().stream().map(TlsVersion::javaName).toArray(String[]::new));
        String[] suites = profile.tls().suites().stream()
                .filter(s -> Arrays.asList(supported).contains(s)).toArray(String[]::new);
        if (suites.length == 0) {
            throw new IllegalStateException("this JDK supports none of the suites of lab profile " + profile
                    + ": " + profile.tls().suites());
        }
        p.setCipherSuites(suites);
        p.setNamedGroups(LabProfile.NAMED_GROUPS.toArray(String[]::new));
        p.setUseCipherSuitesOrder(true);
        p.setNeedClientAuth(false);
        return p;
    }
}
