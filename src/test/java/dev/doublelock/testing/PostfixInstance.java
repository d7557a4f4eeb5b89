package dev.doublelock.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private Postfix instance (Debian package) on loopback, configured as a sender or receiver, with its own
 * config and queue directory and its log in a file (see shared/notes/interop.md). Needs root and
 * /usr/sbin/postfix; tests check {@link #available()} with an assumption.
 */
public final class PostfixInstance implements AutoCloseable {
    private static final Pattern STATUS = Pattern.compile(
            "to=<([^>]*)>, relay=([^,]*), .*?status=(sent|deferred|bounced) \\((.*)\\)$");

    private final Path dir;
    private boolean started;

    private PostfixInstance(Path dir) {
        this.dir = dir;
    }

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/postfix")) && Files.isExecutable(Path.of("/usr/sbin/sendmail"))
                && "root".equals(System.getProperty("user.name"));
    }

    /** A builder of main.cf lines; the instance adds directories, logging and fast retry timers itself. */
    public static PostfixInstance create(Map<String, String> mainCf, List<String> extraMasterCf) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "doublelock-postfix-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("queue"));
        run(List.of("chown", "postfix", data.toString()));
        Map<String, String> cf = new LinkedHashMap<>();
        cf.put("compatibility_level", "3.6");
        cf.put("queue_directory", dir.resolve("queue").toString());
        cf.put("data_directory", data.toString());
        cf.put("mail_owner", "postfix");
        cf.put("setgid_group", "postdrop");
        cf.put("inet_interfaces", "127.0.0.1");
        cf.put("inet_protocols", "ipv4");
        cf.put("myhostname", "postfix.doublelock.test");
        cf.put("mydomain", "doublelock.test");
        cf.put("myorigin", "$mydomain");
        cf.put("mydestination", "");
        cf.put("mynetworks", "127.0.0.0/8");
        cf.put("alias_maps", "");
        cf.put("alias_database", "");
        cf.put("maillog_file", dir.resolve("maillog").toString());
        cf.put("maillog_file_prefixes", "/var, /dev/stdout, /tmp");
        cf.put("queue_run_delay", "1s");
        cf.put("minimal_backoff_time", "1s");
        cf.put("maximal_backoff_time", "2s");
        cf.put("smtp_connect_timeout", "5s");
        cf.put("smtp_tls_loglevel", "1");
        cf.put("smtpd_tls_loglevel", "1");
        cf.put("smtputf8_enable", "no");
        cf.putAll(mainCf);
        StringBuilder main = new StringBuilder();
        cf.forEach((k, v) -> main.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(dir.resolve("main.cf"), main);
        List<String> master = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/etc/postfix/master.cf"))) {
            master.add(line.startsWith("smtp      inet") ? "#" + line : line);
        }
        master.addAll(extraMasterCf);
        Files.write(dir.resolve("master.cf"), master);
        return new PostfixInstance(dir);
    }

    /**
     * A receiver: smtpd on {@code 127.0.0.1:port} with STARTTLS ({@code smtpd_tls_security_level=may}) serving the
     * given chain (leaf first) and key; {@code tls} adds or overrides main.cf lines (protocols, ciphers).
     */
    public static PostfixInstance receiver(int port, String chainPem, String keyPem, Map<String, String> tls) throws IOException {
        Path certs = Files.createTempDirectory(Path.of("/tmp"), "doublelock-postfix-certs-");
        Files.setPosixFilePermissions(certs, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path chain = Files.writeString(certs.resolve("chain.pem"), chainPem);
        Path key = Files.writeString(certs.resolve("key.pem"), keyPem);
        Map<String, String> cf = new LinkedHashMap<>();
        cf.put("smtpd_tls_cert_file", chain.toString());
        cf.put("smtpd_tls_key_file", key.toString());
        cf.put("smtpd_tls_security_level", "may");
        cf.putAll(tls);
        return create(cf, List.of("127.0.0.1:" + port + " inet n - n - - smtpd"));
    }

    /** A port that was free a moment ago (Postfix needs a number in master.cf, it cannot bind port 0). */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * A receiver: an smtpd on {@code 127.0.0.1:port} offering STARTTLS ({@code smtpd_tls_security_level = may}) with
     * the given PEM certificate chain (leaf first) and key, accepting mail for {@code domain} from anyone and
     * storing it in a Maildir inside the instance (see {@link #storedMessages()}). {@code extraMainCf} overrides.
     */
    public static PostfixInstance receiver(int port, String domain, Path chainPem, Path keyPem,
                                           Map<String, String> extraMainCf) throws IOException {
        String uid = output(List.of("id", "-u", "postfix"));
        String gid = output(List.of("id", "-g", "postfix"));
        Map<String, String> cf = new LinkedHashMap<>();
        cf.put("smtpd_tls_security_level", "may");
        cf.put("virtual_mailbox_domains", domain);
        cf.put("virtual_mailbox_maps", "static:inbox/");
        cf.put("virtual_uid_maps", "static:" + uid);
        cf.put("virtual_gid_maps", "static:" + gid);
        cf.put("smtpd_client_restrictions", "");
        cf.put("smtpd_helo_required", "no");
        cf.put("smtpd_recipient_restrictions", "permit_mynetworks, reject_unauth_destination");
        cf.putAll(extraMainCf);
        PostfixInstance pf = create(cf, List.of("127.0.0.1:" + port + " inet n - n - - smtpd"));
        Path tls = Files.createDirectories(pf.dir.resolve("tls"));
        Files.copy(chainPem, tls.resolve("chain.pem"));
        Files.copy(keyPem, tls.resolve("key.pem"));
        Files.setPosixFilePermissions(tls.resolve("key.pem"), PosixFilePermissions.fromString("rw-------"));
        Path mail = Files.createDirectories(pf.dir.resolve("mail"));
        run(List.of("chown", "postfix:" + gid, mail.toString()));
        Files.writeString(pf.dir.resolve("main.cf"), "smtpd_tls_cert_file = " + tls.resolve("chain.pem") + "\n"
                + "smtpd_tls_key_file = " + tls.resolve("key.pem") + "\n"
                + "virtual_mailbox_base = " + mail + "\n", java.nio.file.StandardOpenOption.APPEND);
        return pf;
    }

    /** The messages a {@link #receiver} stored, as Postfix wrote them (LF line ends), oldest first. */
    public List<String> storedMessages() throws IOException {
        Path inbox = dir.resolve("mail").resolve("inbox").resolve("new");
        if (!Files.isDirectory(inbox)) return List.of();
        try (var files = Files.list(inbox)) {
            List<Path> sorted = files.sorted().toList();
            List<String> out = new ArrayList<>();
            for (Path f : sorted) out.add(Files.readString(f, StandardCharsets.UTF_8));
            return out;
        }
    }

    /** Waits until a maillog line matches {@code pattern}; returns that line. */
    public Optional<String> awaitLogLine(Pattern pattern, Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            for (String line : maillog().split("\n")) {
                if (pattern.matcher(line).find()) return Optional.of(line);
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    public Path directory() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public PostfixInstance start() throws IOException {
        run(List.of("/usr/sbin/postfix", "-c", dir.toString(), "start"));
        started = true;
        return this;
    }

    /**
     * Waits until an SMTP server on 127.0.0.1:{@code port} greets with a 220 (then says QUIT): Postfix's master opens
     * its listeners a moment after {@code postfix start} returns. Polls every 20 ms; fails after {@code timeout}.
     */
    public static void awaitGreeting(int port, Duration timeout) throws IOException, InterruptedException {
        Instant end = Instant.now().plus(timeout);
        String last = "nothing";
        while (Instant.now().isBefore(end)) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(5000);
                String line = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                if (line != null && line.startsWith("220")) {
                    s.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    return;
                }
                last = String.valueOf(line);
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(20);
        }
        throw new IOException("no SMTP greeting on 127.0.0.1:" + port + " within " + timeout + " (last: " + last + ")");
    }

    /** Injects a message with sendmail. */
    public void send(String from, String to, String subject, String messageId, String body) throws IOException {
        String msg = "From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: " + subject + "\r\nMessage-ID: <" + messageId
                + ">\r\n\r\n" + body + "\r\n";
        Process p = new ProcessBuilder("/usr/sbin/sendmail", "-C", dir.toString(), "-f", from, to)
                .redirectErrorStream(true).start();
        try (OutputStream out = p.getOutputStream()) {
            out.write(msg.getBytes(StandardCharsets.UTF_8));
        }
        waitFor(p, "sendmail");
    }

    public String maillog() {
        try {
            Path log = dir.resolve("maillog");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** A delivery status line for a recipient, as Postfix logged it. */
    public record Status(String recipient, String relay, String status, String detail) {
    }

    /** Every status line for a recipient, in log order. */
    public List<Status> statuses(String recipient) {
        List<Status> out = new ArrayList<>();
        for (String line : maillog().split("\n")) {
            Matcher m = STATUS.matcher(line);
            if (m.find() && m.group(1).equalsIgnoreCase(recipient)) {
                out.add(new Status(m.group(1), m.group(2), m.group(3), m.group(4)));
            }
        }
        return out;
    }

    /** Waits until a recipient has a status matching {@code wanted} ("sent", "deferred", "bounced"). */
    public Optional<Status> awaitStatus(String recipient, Duration timeout, String... wanted) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            for (Status s : statuses(recipient)) {
                for (String w : wanted) {
                    if (s.status().equals(w)) return Optional.of(s);
                }
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        if (started) {
            try {
                run(List.of("/usr/sbin/postfix", "-c", dir.toString(), "stop"));
            } catch (IOException ignored) {
                // best effort: the instance may already be gone
            }
        }
    }

    private static String output(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        waitFor(p, String.join(" ", command));
        return out;
    }

    static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        waitFor(p, String.join(" ", command));
    }

    private static void waitFor(Process p, String what) throws IOException {
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(what + " did not finish in 60 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) throw new IOException(what + " failed (" + p.exitValue() + "): " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + what, e);
        }
    }
}
