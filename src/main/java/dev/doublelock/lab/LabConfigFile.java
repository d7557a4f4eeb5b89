package dev.doublelock.lab;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * Reads per-profile bindings from a properties file:
 * <pre>
 * profile.good.bind = 192.0.2.10:25
 * profile.good.host = good.lab.example.org
 * </pre>
 * and per MTA-STS scenario MX ({@link #readMtaStsBinds}):
 * <pre>
 * mta-sts.sts-enforce-good.bind = 192.0.2.30:25
 * </pre>
 * Unknown keys and profile names are errors that name the line's key, so typos do not go unnoticed.
 */
public final class LabConfigFile {
    private LabConfigFile() {
    }

    public static Map<LabProfile, LabEndpoint> read(Path file, LabOptions defaults) throws IOException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            props.load(r);
        }
        Map<LabProfile, LabEndpoint> out = new EnumMap<>(LabProfile.class);
        Map<LabProfile, LabEndpoint> base = new EnumMap<>(LabProfile.class);
        defaults.endpoints().forEach(e -> base.put(e.profile(), e));
        for (String key : props.stringPropertyNames()) {
            String[] parts = key.split("\\.");
            if (key.startsWith(MTA_STS_PREFIX)) continue; // readMtaStsBinds
            if (parts.length < 3 || !parts[0].equals("profile")) {
                throw new IllegalArgumentException(file + ": unknown key '" + key + "' (expected profile.<name>.bind, "
                        + "profile.<name>.host or mta-sts.<scenario>.bind)");
            }
            String name = key.substring("profile.".length(), key.lastIndexOf('.'));
            String field = parts[parts.length - 1];
            LabProfile profile = LabProfile.byName(name).orElseThrow(() -> new IllegalArgumentException(
                    file + ": unknown profile '" + name + "' in key '" + key + "'; see 'doublelock lab profiles'"));
            LabEndpoint current = out.getOrDefault(profile, base.get(profile));
            String value = props.getProperty(key).trim();
            switch (field) {
                case "bind" -> out.put(profile, new LabEndpoint(profile, parseAddress(file, key, value), current.hostName()));
                case "host" -> out.put(profile, new LabEndpoint(profile, current.bind(), value));
                default -> throw new IllegalArgumentException(file + ": unknown field '" + field + "' in key '" + key
                        + "' (expected bind or host)");
            }
        }
        return out;
    }

    private static final String MTA_STS_PREFIX = "mta-sts.";

    /** The {@code mta-sts.<scenario>.bind} lines: where each MTA-STS scenario's MX listens. */
    public static Map<MtaStsScenario, InetSocketAddress> readMtaStsBinds(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            props.load(r);
        }
        Map<MtaStsScenario, InetSocketAddress> out = new EnumMap<>(MtaStsScenario.class);
        for (String key : props.stringPropertyNames()) {
            if (!key.startsWith(MTA_STS_PREFIX)) continue;
            if (!key.endsWith(".bind")) {
                throw new IllegalArgumentException(file + ": unknown key '" + key + "' (expected mta-sts.<scenario>.bind)");
            }
            String name = key.substring(MTA_STS_PREFIX.length(), key.length() - ".bind".length());
            MtaStsScenario s = MtaStsScenario.byName(name).orElseThrow(() -> new IllegalArgumentException(
                    file + ": unknown MTA-STS scenario '" + name + "' in key '" + key + "'"));
            out.put(s, parseAddress(file, key, props.getProperty(key).trim()));
        }
        return out;
    }

    private static InetSocketAddress parseAddress(Path file, String key, String value) throws IOException {
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(file + ": " + key + " = '" + value + "' must be ADDRESS:PORT, e.g. 192.0.2.10:25");
        }
        String host = value.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": " + key + " has a bad port in '" + value + "'");
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }
}
