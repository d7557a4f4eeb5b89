package dev.doublelock.tls.probe;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code openssl s_server} on a loopback port chosen by the kernel, with a key and certificate written
 * to a directory. Its output is drained on a virtual thread (kept, for failure messages); its stdin stays open,
 * so it serves until closed.
 */
final class OpenSslServer implements AutoCloseable {
    static final File OPENSSL = new File("/usr/bin/openssl");

    private final Process process;
    private final InetSocketAddress address;
    private final List<String> output;
    private final List<String> command;

    private OpenSslServer(Process process, InetSocketAddress address, List<String> output, List<String> command) {
        this.process = process;
        this.address = address;
        this.output = output;
        this.command = command;
    }

    static boolean available() {
        return OPENSSL.canExecute();
    }

    /** Starts {@code s_server} with the certificate and key (PEM) and the extra arguments. */
    static OpenSslServer start(Path dir, String certPem, String keyPem, List<String> args) throws Exception {
        Path cert = Files.createTempFile(dir, "cert", ".pem");
        Path key = Files.createTempFile(dir, "key", ".pem");
        Files.writeString(cert, certPem);
        Files.writeString(key, keyPem);
        List<String> cmd = new ArrayList<>(List.of(OPENSSL.getPath(), "s_server", "-accept", "127.0.0.1:0",
                "-cert", cert.toString(), "-key", key.toString()));
        cmd.addAll(args);
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        BufferedReader out = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> { // find the ACCEPT line, then keep draining so openssl never blocks
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (output.size() < 2000) output.add(line);
                    if (line.startsWith("ACCEPT ")) port.complete(Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).strip()));
                }
            } catch (Exception ignored) {
                // the process ended
            }
            port.complete(-1);
        });
        int p = port.get(15, TimeUnit.SECONDS);
        if (p <= 0) {
            proc.destroyForcibly();
            throw new IllegalStateException("openssl s_server did not start: " + String.join(" ", cmd) + "\n" + String.join("\n", output));
        }
        return new OpenSslServer(proc, new InetSocketAddress(InetAddress.getLoopbackAddress(), p), output, cmd);
    }

    InetSocketAddress address() {
        return address;
    }

    int port() {
        return address.getPort();
    }

    /** The command line and what the server printed so far, for assertion messages. */
    String describe() {
        synchronized (output) {
            return String.join(" ", command) + "\n" + String.join("\n", output.subList(Math.max(0, output.size() - 40), output.size()));
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
