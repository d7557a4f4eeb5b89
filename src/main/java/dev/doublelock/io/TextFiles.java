package dev.doublelock.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reading small user-supplied text files (policy files), bounded, so that the packages that must stay pure
 * ({@code policy}, {@code policy.transport}) never touch the file system themselves.
 */
public final class TextFiles {
    /** Larger than any sane policy file; a mistaken path to a mail spool fails fast instead of filling the heap. */
    public static final int MAX_BYTES = 1 << 20;

    private TextFiles() {
    }

    /**
     * The UTF-8 text of {@code path} if it names a regular file, else empty.
     *
     * @throws UncheckedIOException if it exists but cannot be read, or is larger than {@link #MAX_BYTES}
     */
    public static Optional<String> readIfFile(String path) {
        Path p;
        try {
            p = Path.of(path);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(p)) return Optional.empty();
        try (InputStream in = Files.newInputStream(p)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("larger than " + MAX_BYTES + " bytes");
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
