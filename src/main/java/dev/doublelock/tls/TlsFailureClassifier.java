package dev.doublelock.tls;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that turns JSSE and socket exceptions into a {@link TlsHandshakeResult.Failed}. SunJSSE
 * formats a received alert as "(bad_certificate) Received fatal alert: bad_certificate" and an alert it
 * raised itself as "(handshake_failure) no cipher suites in common" (see shared/notes/jdk-tls.md); Bouncy
 * Castle's provider uses "Received fatal alert: ..." too. Nothing else in doublelock should
 * pattern-match exception messages.
 */
public final class TlsFailureClassifier {
    private static final Pattern RECEIVED = Pattern.compile("[Rr]eceived fatal alert: ?([a-z_0-9]+)");
    /**
     * An alert the peer sent in plaintext after the TLS 1.3 keys were switched (OpenSSL clients do this when they
     * reject the server's certificate); JDK 25: "Unexpected plaintext alert received: Level: fatal; Alert: bad_certificate".
     */
    private static final Pattern PLAINTEXT = Pattern.compile("[Uu]nexpected plaintext alert received: ?Level: ?[a-z]+; ?Alert: ?([a-z_0-9]+)");
    private static final Pattern LOCAL = Pattern.compile("^\\(([a-z_0-9]+)\\)");

    private TlsFailureClassifier() {
    }

    public static TlsHandshakeResult.Failed classify(Throwable failure) {
        String message = describe(failure);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            Matcher received = RECEIVED.matcher(m);
            if (received.find()) {
                return new TlsHandshakeResult.Failed(received.group(1), true, message);
            }
            Matcher plaintext = PLAINTEXT.matcher(m);
            if (plaintext.find()) {
                return new TlsHandshakeResult.Failed(plaintext.group(1), true, message);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return new TlsHandshakeResult.Failed(TlsHandshakeResult.Failed.TIMEOUT, false, message);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            Matcher local = LOCAL.matcher(m);
            if (local.find() && !isClosedMessage(m)) {
                return new TlsHandshakeResult.Failed(local.group(1), false, message);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof EOFException || t instanceof SocketException || isClosedMessage(m)) {
                return new TlsHandshakeResult.Failed(TlsHandshakeResult.Failed.CLOSED, false, message);
            }
        }
        return new TlsHandshakeResult.Failed(TlsHandshakeResult.Failed.UNKNOWN, false, message);
    }

    private static boolean isClosedMessage(String m) {
        return m.contains("Remote host terminated the handshake") || m.contains("Connection reset")
                || m.contains("Broken pipe") || m.contains("Socket closed") || m.contains("Connection closed")
                || m.contains("EOF") || m.contains("closed by peer") || m.contains("Socket is closed");
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
