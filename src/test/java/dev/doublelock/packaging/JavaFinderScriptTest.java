package dev.doublelock.packaging;

import dev.doublelock.testing.Command;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Debian package's {@code find-java.sh} (sourced by {@code /usr/bin/doublelock} and the postinst) on fake
 * runtimes: a Java 17 {@code java} on PATH (Debian 12's default) is passed over for a Java 21+ under the JVM
 * directory (a Temurin there works without any package relation); with none, the sentence says what to install.
 */
class JavaFinderScriptTest {
    private static final Path SCRIPT = Path.of("packaging/deb/find-java.sh").toAbsolutePath();

    @TempDir
    Path dir;
    Path jvm;
    Path bin;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Command.exists("sh") && Command.exists("sort"), "needs a POSIX shell");
        jvm = Files.createDirectories(dir.resolve("jvm"));
        bin = Files.createDirectories(dir.resolve("bin"));
    }

    /** A fake runtime: bin/java that prints {@code version}, and a release file unless {@code withRelease} is false. */
    private Path runtime(String name, String version, boolean withRelease) throws IOException {
        Path home = Files.createDirectories(jvm.resolve(name));
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"" + version + "\" 2026-01-20' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (withRelease) Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    private Command.Result find(String javaHome) throws Exception {
        List<String> command = new ArrayList<>(List.of("env", "-i", "PATH=" + bin + ":/usr/bin:/bin",
                "DOUBLELOCK_JVM_DIR=" + jvm));
        if (javaHome != null) command.add("JAVA_HOME=" + javaHome);
        command.addAll(List.of("sh", "-c", ". " + SCRIPT + " && if doublelock_find_java; then exit 0; "
                + "else echo \"$DOUBLELOCK_NO_JAVA\"; exit 2; fi"));
        return Command.run(command, null, 30);
    }

    @Test
    void passesOverJava17OnPathForJava21PlusInTheJvmDirectory() throws Exception {
        Path debian17 = runtime("java-17-openjdk-amd64", "17.0.15", true);
        Files.createSymbolicLink(bin.resolve("java"), debian17.resolve("bin/java"));
        Path temurin = runtime("temurin-25-jdk-amd64", "25.0.3", true);
        runtime("java-11-openjdk-amd64", "11.0.2", true);

        Command.Result r = find(null);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output().strip()).isEqualTo(temurin.toString());
    }

    @Test
    void javaHomeComesFirstAndIsJudgedByJavaVersionWithoutAReleaseFile() throws Exception {
        runtime("temurin-25-jdk-amd64", "25.0.3", true);
        Path own = runtime("own-21", "21.0.9", false);

        Command.Result r = find(own.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output().strip()).isEqualTo(own.toString());
    }

    @Test
    void onlyOldRuntimesGiveTheSentenceThatSaysWhatToInstall() throws Exception {
        Path debian17 = runtime("java-17-openjdk-amd64", "17.0.15", true);
        Files.createSymbolicLink(bin.resolve("java"), debian17.resolve("bin/java"));
        runtime("java-1.8.0-openjdk-amd64", "1.8.0_412", false);

        Command.Result r = find(debian17.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.output()).contains("doublelock needs Java 21 or newer")
                .contains("apt-get install openjdk-21-jre-headless").contains("Debian 12").contains("JAVA_HOME");
    }
}
