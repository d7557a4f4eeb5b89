package dev.doublelock.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The one place every command keeps and finds its state (lab PKI and records, relay queue, relay certificate,
 * delivery log). The first of these wins:
 * <ol>
 *   <li>{@code --data DIR} on the command line;</li>
 *   <li>the environment variable {@value #ENV};</li>
 *   <li>the system location {@code /var/lib/doublelock}, when it is a directory the current user can write
 *       (the Debian package creates it for its system user; anyone else falls through);</li>
 *   <li>{@code ./doublelock-data} below the working directory.</li>
 * </ol>
 * The relay's config file may name its own {@code dataDir}: an explicit value there wins over the environment
 * variable and the defaults, and {@code --data} wins over it. The directory is one flat folder: the lab keeps
 * {@code lab.db} and {@code pki/}, the relay {@code queue.db}, {@code tls/} and {@code delivery.log}.
 * Every path this class hands out is absolute, so that what commands print can be pasted anywhere.
 */
final class DataLocation {
    /** The environment variable naming the data directory. */
    static final String ENV = "DOUBLELOCK_DATA";
    /** Where an installed doublelock keeps its state. */
    static final Path SYSTEM = Path.of("/var/lib/doublelock");
    /** The default below the working directory. */
    static final Path LOCAL = Path.of("doublelock-data");
    /** The precedence, as read-only commands print it when they find nothing. */
    static final String PRECEDENCE = "precedence: --data, " + ENV + ", " + SYSTEM + ", ./" + LOCAL;

    /** Where the data directory came from. */
    enum Source { FLAG, CONFIG, ENVIRONMENT, SYSTEM, LOCAL }

    /** What the defaults are read from; tests replace it to leave the real environment and /var/lib alone. */
    record Defaults(Map<String, String> environment, Path systemDir, Path workingDir) {
        Defaults {
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(systemDir, "systemDir");
            Objects.requireNonNull(workingDir, "workingDir");
        }

        static Defaults ofThisProcess() {
            return new Defaults(System.getenv(), SYSTEM, Path.of("").toAbsolutePath());
        }
    }

    static volatile Defaults defaults = Defaults.ofThisProcess();

    private final Path dir;
    private final Source source;

    private DataLocation(Path dir, Source source) {
        this.dir = dir.toAbsolutePath().normalize();
        this.source = source;
    }

    /** The data directory for a command given {@code flag} ({@code --data}, may be null). */
    static DataLocation of(Path flag) {
        return of(flag, null);
    }

    /**
     * As {@link #of(Path)} for the relay, whose config file may name {@code configDataDir} (null: not named);
     * {@code --data} wins over it, it wins over the environment and the defaults.
     */
    static DataLocation of(Path flag, Path configDataDir) {
        Defaults d = defaults;
        if (flag != null) return new DataLocation(d.workingDir().resolve(flag), Source.FLAG);
        if (configDataDir != null) return new DataLocation(d.workingDir().resolve(configDataDir), Source.CONFIG);
        String env = d.environment().get(ENV);
        if (env != null && !env.isBlank()) return new DataLocation(d.workingDir().resolve(env.strip()), Source.ENVIRONMENT);
        Path system = d.systemDir();
        if (Files.isDirectory(system) && Files.isWritable(system)) return new DataLocation(system, Source.SYSTEM);
        return new DataLocation(d.workingDir().resolve(LOCAL), Source.LOCAL);
    }

    /** The directory, absolute. */
    Path dir() {
        return dir;
    }

    Source source() {
        return source;
    }

    /** {@code dir/name}, absolute. */
    Path resolve(String name) {
        return dir.resolve(name);
    }

    /** What a read-only command says (and exits {@link ExitCodes#NOTHING_THERE} with) when {@code missing} is absent. */
    static NothingThereException nothingAt(Path missing, String who) {
        return new NothingThereException("nothing at " + missing.toAbsolutePath() + " — is the " + who
                + " using another --data? (" + PRECEDENCE + ")");
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
