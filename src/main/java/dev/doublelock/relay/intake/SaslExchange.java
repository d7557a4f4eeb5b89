package dev.doublelock.relay.intake;

import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * One SMTP AUTH exchange (RFC 4954) for the two mechanisms the submission port offers, both only
 * inside TLS: PLAIN (RFC 4616: {@code authzid NUL authcid NUL password}, with or without initial
 * response) and LOGIN (the de-facto "Username:"/"Password:" prompts). It decodes what the client
 * sends; checking the password is the caller's business.
 */
final class SaslExchange {
    private static final String USERNAME_PROMPT = b64("Username:");
    private static final String PASSWORD_PROMPT = b64("Password:");

    /** What the exchange needs or yields next. */
    sealed interface Step {
        /** Send {@code 334 challenge} and pass the client's next line to {@link #next}. */
        record Challenge(String base64) implements Step {
        }

        /** The client gave these credentials; clear the password after use. */
        record Credentials(String user, char[] password) implements Step {
        }

        /** The exchange ended without credentials (cancelled, undecodable, unknown mechanism). */
        record Failed(Reply reply) implements Step {
        }
    }

    private enum Phase { PLAIN, LOGIN_USER, LOGIN_PASSWORD }

    private Phase phase;
    private String user;

    /** Starts an exchange from the arguments of {@code AUTH MECHANISM [initial-response]}. */
    Step start(String args) {
        String[] parts = args.strip().split(" +", 2);
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        String initial = parts.length > 1 ? parts[1] : null;
        return switch (mechanism) {
            case "PLAIN" -> {
                phase = Phase.PLAIN;
                yield initial == null ? new Step.Challenge("") : next(initial);
            }
            case "LOGIN" -> {
                phase = Phase.LOGIN_USER;
                yield initial == null ? new Step.Challenge(USERNAME_PROMPT) : next(initial);
            }
            case "" -> new Step.Failed(Replies.SYNTAX_ERROR_IN_PARAMETERS);
            default -> new Step.Failed(Replies.AUTH_MECHANISM_UNKNOWN);
        };
    }

    /** The client's response line to the last challenge. */
    Step next(String line) {
        if (line.equals("*")) {
            return new Step.Failed(Replies.AUTH_CANCELLED);
        }
        byte[] decoded;
        try {
            decoded = line.equals("=") ? new byte[0] : Base64.getDecoder().decode(line.strip());
        } catch (IllegalArgumentException e) {
            return new Step.Failed(Replies.AUTH_CANNOT_DECODE);
        }
        try {
            return switch (phase) {
                case PLAIN -> plain(decoded);
                case LOGIN_USER -> {
                    user = new String(utf8(decoded));
                    phase = Phase.LOGIN_PASSWORD;
                    yield new Step.Challenge(PASSWORD_PROMPT);
                }
                case LOGIN_PASSWORD -> new Step.Credentials(user, utf8(decoded));
            };
        } catch (CharacterCodingException e) {
            return new Step.Failed(Replies.AUTH_CANNOT_DECODE);
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    private static Step plain(byte[] message) throws CharacterCodingException {
        int first = indexOf(message, 0);
        int second = first < 0 ? -1 : indexOf(message, first + 1);
        if (second < 0) {
            return new Step.Failed(Replies.AUTH_CANNOT_DECODE);
        }
        String authzid = new String(utf8(Arrays.copyOfRange(message, 0, first)));
        String authcid = new String(utf8(Arrays.copyOfRange(message, first + 1, second)));
        char[] password = utf8(Arrays.copyOfRange(message, second + 1, message.length));
        if (!authzid.isEmpty() && !authzid.equals(authcid)) {
            Arrays.fill(password, '\0');
            return new Step.Credentials(authcid, null); // acting as another user is not supported: fails
        }
        return new Step.Credentials(authcid, password);
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) return i;
        }
        return -1;
    }

    private static char[] utf8(byte[] bytes) throws CharacterCodingException {
        CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        char[] out = new char[chars.remaining()];
        chars.get(out);
        Arrays.fill(chars.array(), '\0');
        return out;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }
}
