package dev.doublelock.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.doublelock.policy.Policies;
import dev.doublelock.policy.PolicyException;
import dev.doublelock.relay.DeliverySettings;
import dev.doublelock.relay.DeliveryTuning;
import dev.doublelock.relay.RelayOptions;
import dev.doublelock.queue.RetrySchedule;
import dev.doublelock.relay.intake.AuthFailureLimit;
import dev.doublelock.relay.intake.Cidr;
import dev.doublelock.relay.intake.NetworkAllowList;
import dev.doublelock.relay.intake.PasswordHash;
import dev.doublelock.relay.intake.UserDirectory;
import dev.doublelock.smtp.server.SmtpLimits;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The relay's configuration file: one JSON object, every key optional, documented in
 * {@code docs/relay-config.md} with a complete example in {@code relay.example.json}. The defaults
 * need no editing for a trial on one machine: data in {@code ./doublelock-data} (the command line passes the
 * data location it resolved, see {@code cli.DataLocation}; an explicit {@code dataDir} wins over it), an SQLite queue
 * there, submission on 127.0.0.1:5587, relay on 127.0.0.1:2025 for loopback clients, policy
 * {@code bsi} enforced, metrics on 127.0.0.1:9325. Relative paths are relative to the working directory.
 */
public final class RelayConfig {
    public static final String DEFAULT_DATA_DIR = "./doublelock-data";
    public static final String DEFAULT_SUBMISSION = "127.0.0.1:5587";
    public static final String DEFAULT_RELAY = "127.0.0.1:2025";
    public static final String DEFAULT_METRICS = "127.0.0.1:9325";
    private static final long MAX_FILE_BYTES = 1024 * 1024;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private static final Set<String> TOP = Set.of("dataDir", "hostName", "queue", "submission", "relay", "users", "tls",
            "metrics", "limits", "authFailureDelayMillis", "authFailureLimit", "policy", "routes", "delivery", "tlsrpt",
            "dns", "page");

    private RelayConfig() {
    }

    /** The configuration without a file: every default. */
    public static RelayOptions defaults() {
        return parse("{}", "(defaults)");
    }

    /** The configuration without a file, keeping data in {@code dataDir}. */
    public static RelayOptions defaults(Path dataDir) {
        return parse("{}", "(defaults)", dataDir);
    }

    /** Reads and validates {@code file}. */
    public static RelayOptions read(Path file) {
        return read(file, Path.of(DEFAULT_DATA_DIR));
    }

    /** Reads and validates {@code file}; {@code defaultDataDir} applies where the file names no {@code dataDir}. */
    public static RelayOptions read(Path file, Path defaultDataDir) {
        String name = file.toString();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new ConfigException(name, "", "larger than 1 MiB; that is not a relay config file");
            }
            return parse(new String(bytes, StandardCharsets.UTF_8), name, defaultDataDir);
        } catch (IOException e) {
            throw new ConfigException(name, "", "cannot read it (" + e.getMessage()
                    + "); check the path, or run without --config to use the defaults");
        }
    }

    /** Parses and validates JSON text; {@code origin} names it in error messages. */
    public static RelayOptions parse(String json, String origin) {
        return parse(json, origin, Path.of(DEFAULT_DATA_DIR));
    }

    /** As {@link #parse(String, String)}; {@code defaultDataDir} applies where the text names no {@code dataDir}. */
    public static RelayOptions parse(String json, String origin, Path defaultDataDir) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(origin, "", "not valid JSON at line " + e.getLocation().getLineNr() + " column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigException(origin, "", "empty; write {} to use every default");
        }
        ConfigNode top = new ConfigNode(origin, "", root, TOP);
        Path dataDir = top.string("dataDir").filter(s -> !s.isBlank()).map(Path::of).orElse(defaultDataDir);
        String hostName = top.string("hostName").orElse("localhost");
        if (hostName.isBlank() || hostName.contains(" ")) {
            throw top.fail("hostName", "must be this relay's domain name, e.g. relay.example.org (no spaces)");
        }
        ConfigNode submission = top.object("submission", Set.of("listen"));
        ConfigNode relay = top.object("relay", Set.of("listen", "allowedNetworks"));
        ConfigNode tls = top.object("tls", Set.of("certificate", "key"));
        ConfigNode metrics = top.object("metrics", Set.of("listen"));
        Optional<Path> cert = tls.string("certificate").map(Path::of);
        Optional<Path> key = tls.string("key").map(Path::of);
        if (cert.isPresent() != key.isPresent()) {
            throw tls.fail(cert.isPresent() ? "key" : "certificate",
                    "give both tls.certificate (PEM chain, leaf first) and tls.key (PEM private key), or neither"
                            + " to use a self-signed certificate");
        }
        cert.ifPresent(p -> requireFile(tls, "certificate", p));
        key.ifPresent(p -> requireFile(tls, "key", p));
        Optional<InetSocketAddress> submissionAt = submission.listen("listen", DEFAULT_SUBMISSION);
        Optional<InetSocketAddress> relayAt = relay.listen("listen", DEFAULT_RELAY);
        return new RelayOptions(dataDir, hostName, top.string("queue").filter(s -> !s.isBlank()),
                submissionAt, relayAt, networks(relay), users(top), cert, key,
                metrics.listen("listen", DEFAULT_METRICS), limits(top),
                Duration.ofMillis(top.number("authFailureDelayMillis", 0, 60_000)
                        .orElse(1500L)), authFailureLimit(top), delivery(top), tlsReports(top, hostName),
                dns(top), page(top));
    }

    /**
     * {@code page.listen}: off unless given. The page has no login and names recipient domains and remote replies, so
     * an address that is not loopback is refused unless {@code page.allowNonLoopback} is true.
     */
    private static Optional<InetSocketAddress> page(ConfigNode top) {
        ConfigNode page = top.object("page", Set.of("listen", "allowNonLoopback"));
        Optional<InetSocketAddress> at = page.listen("listen", "off");
        if (at.isPresent() && !at.get().getAddress().isLoopbackAddress() && !page.bool("allowNonLoopback").orElse(false)) {
            throw page.fail("listen", at.get().getAddress().getHostAddress() + " is not a loopback address; the relay "
                    + "page has no login and shows recipient domains and remote replies: keep it on 127.0.0.1 or [::1] "
                    + "(reach it through an SSH tunnel or a reverse proxy with a login), or set page.allowNonLoopback "
                    + "to true to expose it anyway");
        }
        return at;
    }

    private static void requireFile(ConfigNode node, String k, Path p) {
        if (!Files.isRegularFile(p)) {
            throw node.fail(k, "no such file: " + p.toAbsolutePath() + "; give the path of a PEM file");
        }
    }

    private static NetworkAllowList networks(ConfigNode relay) {
        List<String> entries = relay.strings("allowedNetworks").orElse(List.of("127.0.0.0/8", "::1/128"));
        List<Cidr> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                out.add(Cidr.parse(entries.get(i)));
            } catch (IllegalArgumentException e) {
                throw relay.fail("allowedNetworks[" + i + "]", e.getMessage());
            }
        }
        return new NetworkAllowList(out);
    }

    private static UserDirectory users(ConfigNode top) {
        Map<String, PasswordHash> users = new LinkedHashMap<>();
        top.stringMap("users").forEach((name, hash) -> {
            if (name.isEmpty() || name.chars().anyMatch(c -> c < 33 || c == 127)) {
                throw top.fail("users." + name, "user names must be non-empty without spaces or control characters");
            }
            try {
                users.put(name, PasswordHash.parse(hash));
            } catch (IllegalArgumentException e) {
                throw top.fail("users." + name, e.getMessage());
            }
        });
        return new UserDirectory(users);
    }

    private static dev.doublelock.relay.TlsReportConfig tlsReports(ConfigNode top, String hostName) {
        ConfigNode t = top.object("tlsrpt", Set.of("enabled", "organizationName", "contact", "dkim"));
        ConfigNode d = t.object("dkim", Set.of("key", "selector", "domain"));
        var off = dev.doublelock.relay.TlsReportConfig.off(hostName);
        Optional<Path> key = d.string("key").map(Path::of);
        key.ifPresent(p -> requireFile(d, "key", p));
        boolean enabled = t.bool("enabled").orElse(false);
        return new dev.doublelock.relay.TlsReportConfig(enabled, t.string("organizationName").orElse(off.organizationName()),
                t.string("contact").orElse(off.contact()), key, d.string("selector").orElse(off.dkimSelector()),
                d.string("domain").orElse(off.dkimDomain()));
    }

    private static dev.doublelock.relay.ResolverSettings dns(ConfigNode top) {
        ConfigNode d = top.object("dns", Set.of("server", "trustAnchor"));
        Optional<Path> anchor = d.string("trustAnchor").map(Path::of);
        anchor.ifPresent(p -> requireFile(d, "trustAnchor", p));
        Optional<String> server = d.string("server").filter(s -> !s.isBlank());
        try {
            return new dev.doublelock.relay.ResolverSettings(server, anchor);
        } catch (IllegalArgumentException e) {
            throw d.fail("server", e.getMessage() + "; give IP, IP:PORT or [IPv6]:PORT of a DNSSEC-validating "
                    + "resolver, or leave it out to use the system's");
        }
    }

    private static AuthFailureLimit authFailureLimit(ConfigNode top) {
        ConfigNode a = top.object("authFailureLimit", Set.of("maxFailures", "windowSeconds", "blockSeconds"));
        AuthFailureLimit d = AuthFailureLimit.DEFAULT;
        return new AuthFailureLimit(a.number("maxFailures", 0, 1_000_000).orElse((long) d.maxFailures()).intValue(),
                Duration.ofSeconds(a.number("windowSeconds", 1, 86_400 * 7).orElse(d.window().toSeconds())),
                Duration.ofSeconds(a.number("blockSeconds", 1, 86_400 * 7).orElse(d.block().toSeconds())));
    }

    private static SmtpLimits limits(ConfigNode top) {
        ConfigNode l = top.object("limits", Set.of("maxMessageBytes", "maxRecipients", "maxConnections",
                "idleTimeoutSeconds", "maxErrors", "maxBufferedDataBytes"));
        SmtpLimits limits = SmtpLimits.defaults();
        limits = limits.withMaxMessageBytes(l.number("maxMessageBytes", 1024, 1L << 30).orElse(limits.maxMessageBytes()));
        limits = limits.withMaxRecipients(l.number("maxRecipients", 1, 100_000).orElse((long) limits.maxRecipients()).intValue());
        limits = limits.withMaxConnections(l.number("maxConnections", 1, 100_000).orElse((long) limits.maxConnections()).intValue());
        limits = limits.withMaxErrors(l.number("maxErrors", 1, 1000).orElse((long) limits.maxErrors()).intValue());
        limits = limits.withMaxBufferedDataBytes(l.number("maxBufferedDataBytes", 1L << 20, 1L << 40)
                .orElse(limits.maxBufferedDataBytes()));
        return limits.withIdleTimeout(Duration.ofSeconds(l.number("idleTimeoutSeconds", 10, 3600)
                .orElse(limits.idleTimeout().toSeconds())));
    }

    private static DeliverySettings delivery(ConfigNode top) {
        ConfigNode p = top.object("policy", Set.of("default", "mode", "domains", "trust"));
        String def = p.string("default").orElse(Policies.DEFAULT);
        requirePolicy(p, "default", def);
        String mode = p.string("mode").orElse("enforce");
        if (!DeliverySettings.MODES.contains(mode)) {
            throw p.fail("mode", "'" + mode + "' is not a mode; use enforce (refuse what fails the policy) or testing"
                    + " (deliver anyway and report what would have been refused)");
        }
        Map<String, String> domains = p.stringMap("domains");
        domains.forEach((domain, policy) -> requirePolicy(p, "domains." + domain, policy));
        Map<String, List<String>> routes = new LinkedHashMap<>();
        ConfigNode r = top.object("routes", routeKeys(top));
        for (String domain : routeKeys(top)) {
            routes.put(domain, r.strings(domain).filter(l -> !l.isEmpty()).orElseThrow(() -> r.fail(domain,
                    "must list at least one next hop, e.g. [\"[192.0.2.25]:25\"] or [\"mx.example.org\"]")));
        }
        List<java.nio.file.Path> trust = new java.util.ArrayList<>();
        for (String file : p.strings("trust").orElse(List.of())) {
            java.nio.file.Path path = java.nio.file.Path.of(file);
            if (!java.nio.file.Files.isReadable(path)) {
                throw p.fail("trust", "cannot read '" + file + "': give PEM files of CAs to trust for outgoing TLS "
                        + "(in addition to the JDK's trust store)");
            }
            trust.add(path);
        }
        return new DeliverySettings(def, mode, domains, routes, trust, tuning(top));
    }

    private static DeliveryTuning tuning(ConfigNode top) {
        ConfigNode d = top.object("delivery", Set.of("concurrency", "perDestinationConcurrency", "leaseSeconds",
                "pollIntervalMillis", "connectionCacheMillis", "maximalQueueLifetime", "delayWarningTime"));
        DeliveryTuning t = DeliveryTuning.defaults();
        return new DeliveryTuning(
                d.number("concurrency", 1, 10_000).orElse((long) t.concurrency()).intValue(),
                d.number("perDestinationConcurrency", 1, 10_000).orElse((long) t.perDestinationConcurrency()).intValue(),
                Duration.ofSeconds(d.number("leaseSeconds", 2, 86_400).orElse(t.lease().toSeconds())),
                Duration.ofMillis(d.number("pollIntervalMillis", 50, 600_000).orElse(t.pollInterval().toMillis())),
                Duration.ofMillis(d.number("connectionCacheMillis", 0, 300_000)
                        .orElse(t.connectionCacheTime().toMillis())),
                lifetime(d), d.time("delayWarningTime", Duration.ofDays(100)).orElse(t.delayWarningTime()));
    }

    private static Duration lifetime(ConfigNode d) {
        Duration v = d.time("maximalQueueLifetime", Duration.ofDays(100)).orElse(RetrySchedule.DEFAULT_GIVE_UP);
        if (v.isZero()) {
            throw d.fail("maximalQueueLifetime", "must be longer than 0 (Postfix turns 0 into 'bounce at the first "
                    + "failure'; give e.g. \"1h\" for a short lifetime)");
        }
        return v;
    }

    private static Set<String> routeKeys(ConfigNode top) {
        return top.keysOf("routes");
    }

    private static void requirePolicy(ConfigNode node, String k, String nameOrFile) {
        try {
            Policies.resolve(nameOrFile);
        } catch (PolicyException e) {
            throw node.fail(k, e.getMessage());
        }
    }
}
