package dev.doublelock.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's first command is {@code ./doublelock demo}: on a machine whose only Java is 17 (no JAVA_HOME, no
 * JDK 21+ where the launcher looks) it must say exactly what to install, not fail inside Maven; with a JDK 21+ in
 * the JVM directory it must pick that one even when PATH's java is 17.
 */
class LauncherScriptTest {
    private static final Path LAUNCHER = Path.of("doublelock").toAbsolutePath();

    record Run(int exit, String out) {
    }

    private static Run run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** A {@code java} that answers {@code -version} like an OpenJDK 17 and fails for anything else. */
    private static Path fakeJava17(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("jdk17/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                if [ "$1" = "-version" ]; then echo 'openjdk version "17.0.15" 2025-04-15' >&2; exit 0; fi
                echo "this is a fake Java 17: it runs nothing" >&2; exit 1
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void withOnlyJava17ItSaysWhatToInstall(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        Path bin = fakeJava17(dir);
        Path jvms = Files.createDirectories(dir.resolve("jvm"));
        Run r = run(Map.of("PATH", bin + ":/usr/bin:/bin", "HOME", dir.toString(), "DOUBLELOCK_JVM_DIRS", jvms.toString()),
                "demo");
        assertThat(r.exit()).as(r.out()).isEqualTo(2);
        assertThat(r.out()).contains("doublelock needs Java 21 or newer (found: Java 17 at " + bin.resolve("java"))
                .contains("apt-get install openjdk-21-jdk-headless").contains("Debian 12").contains("adoptium")
                .contains("JAVA_HOME").doesNotContain("release version 21 not supported");
    }

    @Test
    void aJava17InJavaHomeIsNamedToo(@TempDir Path dir) throws Exception {
        Path bin = fakeJava17(dir);
        Path jvms = Files.createDirectories(dir.resolve("jvm"));
        Run r = run(Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString(), "JAVA_HOME", bin.getParent().toString(),
                "DOUBLELOCK_JVM_DIRS", jvms.toString()), "--which-java");
        // /usr/bin/java may be anything on the test machine; the JAVA_HOME one must be reported when nothing fits
        if (r.exit() == 2) {
            assertThat(r.out()).contains("Java 17 in JAVA_HOME=" + bin.getParent());
        } else {
            assertThat(r.out().strip()).isNotEqualTo(bin.getParent().toString());
        }
    }

    @Test
    void aJdk21InTheJvmDirectoryWinsOverJava17OnThePath(@TempDir Path dir) throws Exception {
        Path bin = fakeJava17(dir);
        Path jvms = Files.createDirectories(dir.resolve("jvm"));
        Path thisJdk = Path.of(System.getProperty("java.home"));
        assumeTrue(Runtime.version().feature() >= 21, "the test JVM is a JDK 21+");
        Files.createSymbolicLink(jvms.resolve("jdk-under-test"), thisJdk);
        Run r = run(Map.of("PATH", bin + ":/bin", "HOME", dir.toString(), "DOUBLELOCK_JVM_DIRS", jvms.toString()),
                "--which-java");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out().strip()).isEqualTo(jvms.resolve("jdk-under-test").toString());
    }

    /** The version comes from the JDK's {@code release} file when there is one: no JVM is started to ask. */
    @Test
    void theReleaseFileAnswersWithoutStartingJava(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("jvm/jdk-21"));
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path marker = dir.resolve("java-was-run");
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\ntouch '" + marker + "'\necho 'openjdk version \"21.0.5\"' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"21.0.5\"\n");
        Run r = run(Map.of("PATH", "/bin", "HOME", dir.toString(), "JAVA_HOME", home.toString(),
                "DOUBLELOCK_JVM_DIRS", dir.resolve("jvm").toString()), "--which-java");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out().strip()).isEqualTo(home.toString());
        assertThat(marker).as("java -version was not needed").doesNotExist();

        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
        Run old = run(Map.of("PATH", "/bin", "HOME", dir.toString(), "JAVA_HOME", home.toString(),
                "DOUBLELOCK_JVM_DIRS", dir.resolve("none").toString()), "--which-java");
        // PATH's /bin/java may be anything on the test machine; the JAVA_HOME one is 17 now and must not be picked
        if (old.exit() == 2) {
            assertThat(old.out()).contains("Java 17 in JAVA_HOME=" + home);
        } else {
            assertThat(old.out().strip()).isNotEqualTo(home.toString());
        }
    }
}
