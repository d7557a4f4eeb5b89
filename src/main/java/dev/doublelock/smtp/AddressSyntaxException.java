package dev.doublelock.smtp;

/** A mailbox, path or MAIL/RCPT parameter that breaks RFC 5321 section 4.1.2 syntax; the message says what. */
public final class AddressSyntaxException extends Exception {
    public AddressSyntaxException(String message) {
        super(message);
    }
}
