package dev.doublelock.smtp.client;

import dev.doublelock.io.DeadlineInputStream;
import dev.doublelock.io.Transcript;
import dev.doublelock.smtp.Reply;
import dev.doublelock.smtp.SmtpLineReader;
import dev.doublelock.smtp.client.SmtpClientException.Phase;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One client connection's byte level: bounded, deadline-checked reply reading, guarded writes and the
 * transcript. Any I/O error or malformed reply closes the connection, since the conversation's state is
 * then unknown. Not thread-safe; owned by one {@link SmtpClientSession}.
 */
final class Wire {
    private static final java.util.regex.Pattern REPLY_LINE = java.util.regex.Pattern.compile("[2-5][0-5][0-9]([ -].*)?");
    private final Socket plain;
    private final String host;
    private final ClientOptions options;
    private final Transcript transcript;
    private final Clock clock;
    private Socket current;
    private DeadlineInputStream input;
    private SmtpLineReader reader;
    private OutputStream output;
    private String closedBecause;

    Wire(Socket plain, String host, ClientOptions options, Transcript transcript, Clock clock) throws IOException {
        this.plain = plain;
        this.host = host;
        this.options = options;
        this.transcript = transcript;
        this.clock = clock;
        use(plain);
    }

    private void use(Socket socket) throws IOException {
        current = socket;
        input = new DeadlineInputStream(socket.getInputStream(), socket::setSoTimeout, clock);
        reader = new SmtpLineReader(input, 8192);
        output = socket.getOutputStream();
    }

    Socket plainSocket() {
        return plain;
    }

    /** Switches to the TLS socket layered over the plain one (after a completed handshake). */
    void upgrade(Socket ssl) throws IOException {
        use(ssl);
    }

    /** Octets the server sent that no reply has consumed yet. */
    int buffered() {
        return reader.buffered();
    }

    /**
     * Octets the server sent that were not asked for: what the reader holds plus what the kernel already received.
     * Before our ClientHello a server has nothing to send, so any octet here after the 220 to STARTTLS was injected.
     */
    int unsolicited() throws IOException {
        return reader.buffered() + plain.getInputStream().available();
    }

    /** Drops the unsolicited octets (see {@link #unsolicited()}), at most 64 KiB; returns how many. */
    int discardUnsolicited() throws IOException {
        int dropped = reader.discardBuffered();
        return dropped + dev.doublelock.io.AvailableOctets.discard(plain.getInputStream(), 65_536 - dropped);
    }

    boolean isOpen() {
        return closedBecause == null;
    }

    String closedBecause() {
        return closedBecause;
    }

    /** Writes command lines (each gets CRLF) in one write. */
    void writeCommands(Phase phase, List<String> commands, Duration timeout) throws SmtpClientException {
        StringBuilder sb = new StringBuilder();
        for (String c : commands) {
            transcript.client(c);
            sb.append(c).append("\r\n");
        }
        writeBytes(phase, commands.get(0), sb.toString().getBytes(StandardCharsets.UTF_8), timeout);
    }

    void writeBytes(Phase phase, String command, byte[] bytes, Duration timeout) throws SmtpClientException {
        ensureOpen(phase, command);
        try (WriteWatchdog.Guard guard = WriteWatchdog.arm(timeout, this::closePlain)) {
            try {
                output.write(bytes);
                output.flush();
            } catch (IOException e) {
                IOException cause = guard.fired()
                        ? new SocketTimeoutException("write not completed within " + timeout.toMillis() + " ms") : e;
                throw fail(SmtpClientException.network(phase, command, host, cause));
            }
        }
    }

    /** Reads one complete reply within {@code timeout}; a reply that breaks RFC 5321 4.2 is malformed. */
    Reply readReply(Phase phase, String command, Duration timeout) throws SmtpClientException {
        ensureOpen(phase, command);
        input.beginUnit(timeout, timeout, true);
        List<String> lines = new ArrayList<>();
        String firstCode = null;
        while (true) {
            SmtpLineReader.Line line;
            try {
                line = reader.readLine(options.maxLineLength());
            } catch (IOException e) {
                throw fail(SmtpClientException.network(phase, command, host, e));
            }
            String text = line.text();
            transcript.server(text);
            if (line.overlong()) {
                throw malformed(phase, command, "reply line longer than " + options.maxLineLength() + " octets", text);
            }
            if (line.hasBareLineEnding() || line.nul()) {
                throw malformed(phase, command, "bare CR/LF or NUL inside a reply line", text);
            }
            if (!REPLY_LINE.matcher(text).matches()) {
                throw malformed(phase, command, "a reply line must start with a code 200..559 and then ' ' or '-'", text);
            }
            String code = text.substring(0, 3);
            if (firstCode != null && !firstCode.equals(code)) {
                throw malformed(phase, command, "reply code " + code + " differs from " + firstCode
                        + " on the first line of the same reply", text);
            }
            firstCode = code;
            lines.add(text);
            if (text.length() == 3 || text.charAt(3) == ' ') {
                break;
            }
            if (lines.size() >= options.maxReplyLines()) {
                throw malformed(phase, command, "reply has more than " + options.maxReplyLines() + " lines", text);
            }
        }
        try {
            return Reply.parse(lines);
        } catch (IllegalArgumentException e) {
            throw malformed(phase, command, e.getMessage(), lines.get(lines.size() - 1));
        }
    }

    private SmtpClientException malformed(Phase phase, String command, String problem, String line) {
        return fail(SmtpClientException.malformed(phase, command, host, problem, line));
    }

    private void ensureOpen(Phase phase, String command) throws SmtpClientException {
        if (closedBecause != null) {
            throw SmtpClientException.local(phase, command, false,
                    "connection to " + host + " is already closed (" + closedBecause + "); open a new session");
        }
    }

    /** Closes the connection because of {@code e} and returns it for throwing. */
    SmtpClientException fail(SmtpClientException e) {
        close(e.getMessage());
        return e;
    }

    /**
     * Closes without waiting for the peer: over TLS a close_notify is sent (bounded by a short watchdog),
     * then the TCP socket is closed. Idempotent.
     */
    void close(String reason) {
        if (closedBecause == null) {
            closedBecause = reason;
            transcript.event("closed: " + reason);
        }
        if (current != plain) {
            try (WriteWatchdog.Guard ignored = WriteWatchdog.arm(Duration.ofSeconds(1), this::closePlain)) {
                current.setSoTimeout(1);
                current.shutdownOutput();
            } catch (IOException | RuntimeException ignored) {
                // best effort
            }
        }
        closePlain();
        try {
            current.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /**
     * Closes only the TCP socket: safe from the watchdog thread while another thread is blocked in a
     * write (closing the TLS socket there could wait for that thread's lock).
     */
    private void closePlain() {
        try {
            plain.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
