package dev.doublelock.testing;

import dev.doublelock.tls.pki.LabCertificate;
import dev.doublelock.tls.pki.LabPki;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * One lab PKI for {@code localhost} (the lab's default host name) per build, with every lab certificate: made by
 * whichever test JVM needs it first (the others wait on the PKI directory's own lock, and then load it), and copied
 * into a test lab's data directory before that lab starts. The lab then loads its CA and leaves, as it does on any
 * restart, instead of generating two RSA 3072 and two RSA 1024 keys in every test class that starts one (each test
 * class runs in a JVM of its own). Making a PKI from nothing stays tested by the {@code tls.pki} tests, which never
 * use this template.
 *
 * <p>The template lives under {@code target/}, named by a checksum of the classes that make the certificates, so a
 * changed recipe gets a template of its own even without {@code mvn clean}.
 */
public final class LabPkiTemplate {
    private static final String HOST = "localhost";
    private static final List<String> RECIPE_CLASSES = List.of("LabRecipes", "CertificateBuilder", "Extensions", "LabPki");
    private static Path template;

    private LabPkiTemplate() {
    }

    /** Copies the template into {@code labDataDir}{@code /pki} unless that directory exists already. */
    public static void seed(Path labDataDir) throws IOException {
        Path pki = labDataDir.resolve("pki");
        if (Files.exists(pki)) return;
        Path from = template();
        Files.createDirectories(pki);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                // not the lock, nor a temporary file of a JVM rewriting the metadata (every file is replaced atomically)
                if (name.equals(LabPki.LOCK_FILE) || name.startsWith(".")) continue;
                Files.copy(f, pki.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static synchronized Path template() throws IOException {
        if (template == null) {
            Path base = Files.isDirectory(Path.of("target")) ? Path.of("target") : Path.of(System.getProperty("java.io.tmpdir"));
            Path dir = base.resolve("lab-pki-template-" + recipeChecksum()).toAbsolutePath();
            Files.createDirectories(dir);
            // under the directory's lock: a JVM that comes second waits, then loads what the first made
            LabPki.loadOrCreate(dir, HOST).prepare(EnumSet.allOf(LabCertificate.class));
            template = dir;
        }
        return template;
    }

    private static String recipeChecksum() {
        CRC32 crc = new CRC32();
        for (String name : RECIPE_CLASSES) {
            String resource = "dev/doublelock/tls/pki/" + name + ".class";
            try (InputStream in = LabPkiTemplate.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) throw new IllegalStateException("no " + resource + " on the class path");
                crc.update(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Long.toHexString(crc.getValue());
    }
}
