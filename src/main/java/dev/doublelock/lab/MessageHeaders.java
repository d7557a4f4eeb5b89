package dev.doublelock.lab;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/** Reads a few header fields (Message-ID, Subject) from raw message bytes, bounded and forgiving. */
final class MessageHeaders {
    /** The most of a message's start that is read for its header. */
    static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_VALUE = 998;

    private final String headerBlock;

    private MessageHeaders(String headerBlock) {
        this.headerBlock = headerBlock;
    }

    static MessageHeaders of(byte[] message) {
        int limit = Math.min(message.length, MAX_HEADER_BYTES);
        int end = limit;
        for (int i = 0; i + 3 < limit; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] == '\r' && message[i + 3] == '\n') {
                end = i + 2;
                break;
            }
        }
        return new MessageHeaders(new String(message, 0, end, StandardCharsets.UTF_8));
    }

    /** The unfolded value of the first header with this name. */
    Optional<String> first(String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        String[] lines = headerBlock.split("\r\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].toLowerCase(Locale.ROOT).startsWith(prefix)) {
                StringBuilder value = new StringBuilder(lines[i].substring(prefix.length()).trim());
                while (i + 1 < lines.length && !lines[i + 1].isEmpty()
                        && (lines[i + 1].charAt(0) == ' ' || lines[i + 1].charAt(0) == '\t')) {
                    value.append(' ').append(lines[++i].trim());
                }
                String v = value.toString();
                return Optional.of(v.length() > MAX_VALUE ? v.substring(0, MAX_VALUE) : v);
            }
        }
        return Optional.empty();
    }
}
