package dev.doublelock.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external program (openssl, swaks, testssl.sh) with input and a hard timeout. */
public final class Command {
    public record Result(int exitCode, String output) {
    }

    private Command() {
    }

    public static boolean exists(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) return true;
        }
        return Files.isExecutable(Path.of("/usr/sbin", program)) || Files.isExecutable(Path.of("/usr/bin", program));
    }

    public static Result run(List<String> command, String stdin, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream out = p.getOutputStream()) {
            if (stdin != null) out.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // the program may close its input early
        }
        java.io.ByteArrayOutputStream output = new java.io.ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var in = p.getInputStream()) {
                in.transferTo(output);
            } catch (IOException ignored) {
                // process killed
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        reader.join(5000);
        return new Result(p.exitValue(), output.toString(StandardCharsets.UTF_8));
    }
}
