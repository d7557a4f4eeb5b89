package dev.doublelock.tls.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The lab's PKI, kept in a directory so that restarts serve the same CA and leaves.
 *
 * <p>Files: {@code ca.pem}/{@code ca.key.pem} (RSA 3072 lab CA, the certificate users trust),
 * {@code intermediate.pem}/{@code intermediate.key.pem} (ECDSA P-256),
 * {@code untrusted-ca.pem}/{@code untrusted-ca.key.pem} (the CA nobody trusts), per leaf
 * {@code <stem>.chain.pem} (the chain as served, leaf first) and {@code <stem>.key.pem}, and
 * {@value LabFiles#METADATA}. Key files are written 0600.
 *
 * <p>The CA and intermediate are loaded or made by {@link #loadOrCreate}; the untrusted root and
 * the leaves on first use. A stored leaf is made anew when its files are missing or broken, when
 * it was made for another host name, when its issuer changed, or when a leaf meant to be valid
 * expires within {@link #RENEW_BEFORE} (a not-yet-valid one: becomes valid within it). An expiring
 * CA is replaced too, after which users must trust the new {@code ca.pem}. A {@code ca.pem} without
 * its key is an error, never silently replaced. All methods are thread-safe.
 *
 * <p>Whatever is made is made under a lock on {@value #LOCK_FILE} in the directory (a {@link FileLock}
 * between processes, a {@link ReentrantLock} between threads of one process): a second lab, or a reader
 * such as {@code lab certs} started while the first lab is still making its CA, waits instead of making a
 * second CA or reading half of the first. {@link #readStored} reads without creating anything.
 */
public final class LabPki {
    /** Certificates closer than this to the end of their intended state are made anew. */
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private static final String HOST_KEY = "hostName";
    private static final String NAMES_KEY = "mxNames";
    /** The lock file in a PKI directory; whoever makes certificates holds it exclusively. */
    public static final String LOCK_FILE = "pki.lock";
    private static final Map<Path, ReentrantLock> THREAD_LOCKS = new ConcurrentHashMap<>();

    private final LabFiles files;
    private final LabHost host;
    private final Clock clock;
    private final CertifiedKey ca;
    private final CertifiedKey intermediate;
    private final LabPki issuing;
    private CertifiedKey untrustedRoot;
    private final Map<LabCertificate, CertifiedKey> leaves = new EnumMap<>(LabCertificate.class);
    private List<String> mxNames = List.of();

    private LabPki(LabFiles files, LabHost host, Clock clock) {
        this.files = files;
        this.host = host;
        this.clock = clock;
        this.issuing = null;
        this.ca = loadOrCreateCa();
        this.intermediate = loadOrCreateIntermediate();
        files.setMetadata(HOST_KEY, host.name());
    }

    private LabPki(LabFiles files, LabHost host, LabPki issuing) {
        this.files = files;
        this.host = host;
        this.clock = issuing.clock;
        this.issuing = issuing;
        this.ca = issuing.ca;
        this.intermediate = issuing.intermediate;
        files.setMetadata(HOST_KEY, host.name());
    }

    /**
     * Leaves for another host name, kept in {@code dir}, issued by {@code issuing}'s CA, intermediate and untrusted
     * root: every profile of a lab, whatever name its certificate carries, chains to the one {@code ca.pem} senders
     * trust (a lab that publishes each profile under its own name, or selects them by SNI on one port). Leaves a
     * former lab stored there under a CA of their own are made anew.
     */
    public static LabPki loadOrCreate(Path dir, String hostName, LabPki issuing) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(issuing, "issuing");
        LabFiles files = new LabFiles(dir);
        return locked(dir, false, () -> new LabPki(files, LabHost.of(hostName), issuing));
    }

    /** The PKI in {@code dir} (created if absent) for leaves naming {@code hostName}. */
    public static LabPki loadOrCreate(Path dir, String hostName) {
        return loadOrCreate(dir, hostName, Clock.systemUTC());
    }

    /** As {@link #loadOrCreate(Path, String)}, with "now" taken from {@code clock} (for tests). */
    public static LabPki loadOrCreate(Path dir, String hostName, Clock clock) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(clock, "clock");
        LabFiles files = new LabFiles(dir);
        return locked(dir, false, () -> new LabPki(files, LabHost.of(hostName), clock));
    }

    /**
     * Makes (or loads) every one of {@code which} at once, under the directory's lock, so that a reader never
     * sees some of a lab's leaves and misses the rest.
     */
    public void prepare(Collection<LabCertificate> which) {
        locked(files.dir(), false, () -> {
            which.forEach(this::certificate);
            return null;
        });
    }

    /** What a lab stored in a PKI directory: the CA users trust and the leaves found, by certificate. */
    public record Stored(Path directory, X509Certificate ca, Map<LabCertificate, CertifiedKey> leaves,
                         List<LabCertificate> missing) {
    }

    /**
     * Reads the CA and the stored leaves of {@code which} from {@code dir} without creating or changing anything,
     * waiting while a lab holds the directory's lock. Empty when {@code dir} holds no usable lab CA.
     */
    public static Optional<Stored> readStored(Path dir, Collection<LabCertificate> which) {
        Path abs = dir.toAbsolutePath();
        if (!Files.isDirectory(abs)) return Optional.empty();
        return locked(abs, true, () -> {
            LabFiles files = new LabFiles(abs, false);
            List<X509Certificate> ca;
            try {
                if (!Files.isRegularFile(abs.resolve("ca.pem"))) return Optional.<Stored>empty();
                ca = Pem.readCertificates(abs.resolve("ca.pem"));
            } catch (IllegalArgumentException | UncheckedIOException e) {
                return Optional.<Stored>empty();
            }
            Map<LabCertificate, CertifiedKey> leaves = new LinkedHashMap<>();
            List<LabCertificate> missing = new ArrayList<>();
            for (LabCertificate c : which) {
                files.load(c.fileStem() + ".chain.pem", c.fileStem() + ".key.pem")
                        .ifPresentOrElse(k -> leaves.put(c, k), () -> missing.add(c));
            }
            return Optional.of(new Stored(abs, ca.get(0), leaves, List.copyOf(missing)));
        });
    }

    /**
     * Runs {@code body} holding {@code dir}'s lock: exclusive for makers, shared for readers. A reader finds no lock
     * file when the PKI was made by a version without locks; it then reads without one (and creates nothing).
     */
    private static <T> T locked(Path dir, boolean shared, Supplier<T> body) {
        Path abs = dir.toAbsolutePath().normalize();
        ReentrantLock threads = THREAD_LOCKS.computeIfAbsent(abs, d -> new ReentrantLock());
        threads.lock();
        try {
            Path lockFile = abs.resolve(LOCK_FILE);
            if (threads.getHoldCount() > 1) return body.get(); // this thread holds the file lock already (prepare)
            if (shared && !Files.exists(lockFile)) return body.get();
            try (FileChannel channel = shared ? FileChannel.open(lockFile, StandardOpenOption.READ)
                    : FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock(0, Long.MAX_VALUE, shared)) {
                return body.get();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock the lab PKI directory " + abs + " (" + LOCK_FILE + "): "
                        + e.getMessage() + "; check that it is a writable directory", e);
            }
        } finally {
            threads.unlock();
        }
    }

    /** The lab CA certificate: what users trust ({@code --trust ca.pem}). */
    public synchronized X509Certificate caCertificate() {
        return ca.leaf();
    }

    /** The lab intermediate, signed by the CA; it issues the leaves. */
    public synchronized X509Certificate intermediateCertificate() {
        return intermediate.leaf();
    }

    /**
     * A good leaf (ECDSA P-256, SHA-256, issued by the lab intermediate, sent with it) for other names than the lab
     * host name, such as an MTA-STS scenario's MX and policy host. Made in memory on each call, never stored: the CA
     * users trust stays the same, so a leaf made anew at each start is as good as a stored one.
     */
    public synchronized CertifiedKey leafFor(String... dnsNames) {
        if (dnsNames.length == 0) throw new IllegalArgumentException("a leaf needs at least one DNS name");
        return LabRecipes.namedLeaf(java.util.List.of(dnsNames), intermediate, now());
    }

    /** The root of UNTRUSTED_ROOT's chain, which nobody is meant to trust. */
    public synchronized X509Certificate untrustedRootCertificate() {
        return untrustedRoot().leaf();
    }

    /** The normalised lab host name the leaves are made for. */
    public String hostName() {
        return host.name();
    }

    /**
     * The name a client should expect when it connects to an endpoint serving {@code which}: the lab host name,
     * except for {@link LabCertificate#WILDCARD_TOO_DEEP}, whose test only means something for a name two labels
     * below its wildcard ({@code a.b.deep.<host>} against {@code *.deep.<host>}).
     */
    public String referenceName(LabCertificate which) {
        return referenceName(which, host.name());
    }

    /** As {@link #referenceName(LabCertificate)} for a lab whose host name is {@code hostName}. */
    public static String referenceName(LabCertificate which, String hostName) {
        LabHost h = LabHost.of(hostName);
        return which == LabCertificate.WILDCARD_TOO_DEEP ? h.deepWildcardReference() : h.name();
    }

    /** The directory the PKI lives in. */
    public Path directory() {
        return files.dir();
    }

    /**
     * The further names of the {@link LabCertificate#MX_NAMES} leaf (the lab zone's DANE scenario MX hosts); set before
     * that leaf is first used. A stored leaf with other names is made anew.
     */
    public synchronized void nameMxHosts(List<String> names) {
        List<String> normalised = names.stream().map(n -> LabHost.of(n).name()).toList();
        if (!normalised.equals(mxNames)) {
            mxNames = normalised;
            leaves.remove(LabCertificate.MX_NAMES);
        }
    }

    /** The key and the chain a server presents for {@code which}, made and stored on first use. */
    public synchronized CertifiedKey certificate(LabCertificate which) {
        CertifiedKey cached = leaves.get(which);
        if (cached != null) return cached;
        return locked(files.dir(), false, () -> loadOrMake(which));
    }

    private CertifiedKey loadOrMake(LabCertificate which) {
        String stem = which.fileStem();
        CertifiedKey issuer = issuerOf(which);
        String names = String.join(",", mxNames);
        Optional<CertifiedKey> stored = files.load(stem + ".chain.pem", stem + ".key.pem")
                .filter(k -> host.name().equals(files.metadata(stem + "." + HOST_KEY)) || !which.dependsOnHostName())
                .filter(k -> which != LabCertificate.MX_NAMES || names.equals(files.metadata(stem + "." + NAMES_KEY)))
                .filter(k -> issuedBy(k, which, issuer))
                .filter(k -> fresh(k.leaf(), which));
        CertifiedKey leaf = stored.orElseGet(() -> {
            LabHost named = which == LabCertificate.MX_NAMES ? host.alsoNaming(mxNames) : host;
            CertifiedKey made = LabRecipes.leaf(which, named, issuer, now());
            files.save(made, stem + ".chain.pem", stem + ".key.pem");
            files.setMetadata(stem + "." + HOST_KEY, host.name());
            if (which == LabCertificate.MX_NAMES) files.setMetadata(stem + "." + NAMES_KEY, names);
            return made;
        });
        leaves.put(which, leaf);
        return leaf;
    }

    private CertifiedKey issuerOf(LabCertificate which) {
        return switch (which) {
            case SELF_SIGNED, SHAME -> null;
            case SHA1_SIGNATURE, MD5_SIGNATURE -> ca;
            case UNTRUSTED_ROOT -> untrustedRoot();
            default -> intermediate;
        };
    }

    /** Signed by the expected issuer, and sending exactly the chain the recipe sends. */
    private static boolean issuedBy(CertifiedKey stored, LabCertificate which, CertifiedKey issuer) {
        List<X509Certificate> tail = switch (which) {
            case GOOD, GOOD_RSA, EXPIRED, NOT_YET_VALID, WRONG_HOST, RSA_1024, UNTRUSTED_ROOT, CN_ONLY, WILDCARD_TOO_DEEP,
                 MX_NAMES ->
                    issuer.chain();
            default -> List.of();
        };
        X509Certificate leaf = stored.leaf();
        return stored.chain().subList(1, stored.chain().size()).equals(tail)
                && verifies(leaf, issuer == null ? leaf : issuer.leaf());
    }

    private boolean fresh(X509Certificate certificate, LabCertificate which) {
        Instant horizon = now().plus(RENEW_BEFORE);
        if (which == LabCertificate.NOT_YET_VALID) return certificate.getNotBefore().toInstant().isAfter(horizon);
        return !which.meantToBeValid() || certificate.getNotAfter().toInstant().isAfter(horizon);
    }

    private CertifiedKey loadOrCreateCa() {
        Optional<CertifiedKey> stored = files.load("ca.pem", "ca.key.pem");
        if (stored.isEmpty() && files.exists("ca.pem")) {
            throw new IllegalStateException(files.dir().resolve("ca.pem") + " exists but ca.key.pem is missing, unreadable "
                    + "or does not match it; restore the key, or delete ca.pem to make a new lab CA (clients must then trust the new one)");
        }
        return stored.filter(k -> k.leaf().getNotAfter().toInstant().isAfter(now().plus(RENEW_BEFORE)))
                .orElseGet(() -> save(LabRecipes.ca(now()), "ca.pem", "ca.key.pem"));
    }

    private CertifiedKey loadOrCreateIntermediate() {
        return files.load("intermediate.pem", "intermediate.key.pem")
                .filter(k -> k.chain().size() == 1 && verifies(k.leaf(), ca.leaf()))
                .filter(k -> k.leaf().getNotAfter().toInstant().isAfter(now().plus(RENEW_BEFORE)))
                .orElseGet(() -> save(LabRecipes.intermediate(ca, now()), "intermediate.pem", "intermediate.key.pem"));
    }

    private CertifiedKey untrustedRoot() {
        if (issuing != null) return issuing.sharedUntrustedRoot();
        if (untrustedRoot == null) {
            untrustedRoot = files.load("untrusted-ca.pem", "untrusted-ca.key.pem")
                    .filter(k -> k.chain().size() == 1 && k.leaf().getNotAfter().toInstant().isAfter(now().plus(RENEW_BEFORE)))
                    .orElseGet(() -> save(LabRecipes.untrustedRoot(now()), "untrusted-ca.pem", "untrusted-ca.key.pem"));
        }
        return untrustedRoot;
    }

    private synchronized CertifiedKey sharedUntrustedRoot() {
        return locked(files.dir(), false, this::untrustedRoot);
    }

    private CertifiedKey save(CertifiedKey key, String chainFile, String keyFile) {
        files.save(key, chainFile, keyFile);
        return key;
    }

    private static boolean verifies(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private Instant now() {
        return clock.instant();
    }
}
