package dev.doublelock.tls;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class TlsFailureClassifierTest {

    @Test
    void receivedAlertIsFromThePeer() {
        TlsHandshakeResult.Failed f = TlsFailureClassifier.classify(
                new SSLHandshakeException("(bad_certificate) Received fatal alert: bad_certificate"));
        assertThat(f.alert()).isEqualTo("bad_certificate");
        assertThat(f.alertFromPeer()).isTrue();
        assertThat(f.message()).contains("Received fatal alert");
    }

    @Test
    void aTls13AlertSentInPlaintextIsThePeersAlert() {
        // OpenSSL clients send their TLS 1.3 alert before switching keys; JDK 25 reports it like this
        TlsHandshakeResult.Failed f = TlsFailureClassifier.classify(new javax.net.ssl.SSLHandshakeException(
                "(unexpected_message) Unexpected plaintext alert received: Level: fatal; Alert: bad_certificate"));
        assertThat(f.alert()).isEqualTo("bad_certificate");
        assertThat(f.alertFromPeer()).isTrue();
    }

    @Test
    void locallyRaisedAlertIsNotFromThePeer() {
        TlsHandshakeResult.Failed f = TlsFailureClassifier.classify(
                new SSLHandshakeException("(handshake_failure) no cipher suites in common"));
        assertThat(f.alert()).isEqualTo("handshake_failure");
        assertThat(f.alertFromPeer()).isFalse();
    }

    @Test
    void causesAreSearched() {
        SSLHandshakeException wrapper = new SSLHandshakeException("handshake failed");
        wrapper.initCause(new SocketTimeoutException("Read timed out"));
        assertThat(TlsFailureClassifier.classify(wrapper).alert()).isEqualTo("timeout");
    }

    @Test
    void closedConnectionsAreClosed() {
        SSLHandshakeException eof = new SSLHandshakeException("Remote host terminated the handshake");
        eof.initCause(new EOFException("SSL peer shut down incorrectly"));
        assertThat(TlsFailureClassifier.classify(eof).alert()).isEqualTo("closed");
        assertThat(TlsFailureClassifier.classify(new SocketException("Connection reset")).alert()).isEqualTo("closed");
    }

    @Test
    void anythingElseIsUnknown() {
        TlsHandshakeResult.Failed f = TlsFailureClassifier.classify(new IllegalStateException("odd"));
        assertThat(f.alert()).isEqualTo("unknown");
        assertThat(f.alertFromPeer()).isFalse();
    }
}
