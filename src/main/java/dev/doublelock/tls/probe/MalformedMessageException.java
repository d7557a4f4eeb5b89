package dev.doublelock.tls.probe;

import java.io.IOException;

/** The server sent bytes that are not the TLS (or SMTP) message they claim to be, or exceed a size bound. */
final class MalformedMessageException extends IOException {
    MalformedMessageException(String message) {
        super(message);
    }
}
