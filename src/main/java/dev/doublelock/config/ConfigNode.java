package dev.doublelock.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One JSON object of a config file, read key by key with errors that name the file and the key's
 * dotted path. Unknown keys are errors (typos must not be silently ignored); {@code null} means "use
 * the default".
 */
final class ConfigNode {
    private final String file;
    private final String path;
    private final JsonNode node;

    ConfigNode(String file, String path, JsonNode node, Set<String> knownKeys) {
        this.file = file;
        this.path = path;
        this.node = node;
        if (!node.isObject()) {
            throw fail("", "must be a JSON object { ... }");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!knownKeys.contains(k)) {
                throw fail(k, "unknown key; known keys here: " + String.join(", ", new TreeSet<>(knownKeys))
                        + " (see docs/relay-config.md)");
            }
        }
    }

    ConfigException fail(String key, String problem) {
        return new ConfigException(file, key(key), problem);
    }

    String key(String k) {
        return path.isEmpty() ? k : k.isEmpty() ? path : path + "." + k;
    }

    private Optional<JsonNode> value(String k) {
        JsonNode v = node.get(k);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    boolean present(String k) {
        return value(k).isPresent();
    }

    /** A nested object, or an empty one if absent. */
    ConfigNode object(String k, Set<String> knownKeys) {
        JsonNode v = value(k).orElse(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        if (!v.isObject()) {
            throw fail(k, "must be a JSON object { ... }");
        }
        return new ConfigNode(file, key(k), v, knownKeys);
    }

    Optional<String> string(String k) {
        return value(k).map(v -> {
            if (!v.isTextual()) throw fail(k, "must be a string in double quotes, got " + v);
            return v.asText();
        });
    }

    /**
     * A time in Postfix's notation (postconf(5) "time units"): a whole number and one unit, {@code s}, {@code m},
     * {@code h}, {@code d} or {@code w}, e.g. {@code "5d"}, {@code "4h"}; {@code "0"} alone is zero.
     */
    Optional<java.time.Duration> time(String k, java.time.Duration max) {
        return string(k).map(v -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})([smhdw])").matcher(v.strip());
            java.time.Duration d;
            if (v.strip().equals("0")) {
                d = java.time.Duration.ZERO;
            } else if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "s" -> java.time.Duration.ofSeconds(n);
                    case "m" -> java.time.Duration.ofMinutes(n);
                    case "h" -> java.time.Duration.ofHours(n);
                    case "d" -> java.time.Duration.ofDays(n);
                    default -> java.time.Duration.ofDays(7 * n);
                };
            } else {
                throw fail(k, "must be a time with its unit as in Postfix, e.g. \"5d\", \"4h\", \"30m\", \"90s\""
                        + " (s, m, h, d, w), got \"" + v + "\"");
            }
            if (d.compareTo(max) > 0) {
                throw fail(k, "must be at most " + max.toDays() + "d, got \"" + v + "\"");
            }
            return d;
        });
    }

    Optional<Boolean> bool(String k) {
        return value(k).map(v -> {
            if (!v.isBoolean()) throw fail(k, "must be true or false (without quotes), got " + v);
            return v.asBoolean();
        });
    }

    Optional<Long> number(String k, long min, long max) {
        return value(k).map(v -> {
            if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
                throw fail(k, "must be a whole number from " + min + " to " + max + ", got " + v);
            }
            return v.asLong();
        });
    }

    Optional<List<String>> strings(String k) {
        return value(k).map(v -> {
            if (!v.isArray()) throw fail(k, "must be a list of strings, e.g. [\"127.0.0.0/8\", \"::1\"]");
            List<String> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isTextual()) throw fail(k + "[" + i + "]", "must be a string in double quotes");
                out.add(v.get(i).asText());
            }
            return out;
        });
    }

    /** An object whose values are strings: {"a": "x", ...}. */
    Map<String, String> stringMap(String k) {
        Map<String, String> out = new LinkedHashMap<>();
        value(k).ifPresent(v -> {
            if (!v.isObject()) throw fail(k, "must be an object of strings, e.g. {\"example.org\": \"value\"}");
            v.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) throw fail(k + "." + e.getKey(), "must be a string in double quotes");
                out.put(e.getKey(), e.getValue().asText());
            });
        });
        return out;
    }

    /** The keys of a nested object (empty if absent); its values are checked by the caller. */
    Set<String> keysOf(String k) {
        Set<String> keys = new java.util.LinkedHashSet<>();
        value(k).ifPresent(v -> {
            if (!v.isObject()) throw fail(k, "must be a JSON object { ... }");
            v.fieldNames().forEachRemaining(keys::add);
        });
        return keys;
    }

    /** {@code ADDRESS:PORT}, {@code [IPv6]:PORT}; "off" or null means disabled (empty). */
    Optional<InetSocketAddress> listen(String k, String fallback) {
        String text = present(k) ? string(k).orElseThrow() : fallback;
        if (text == null || text.equals("off")) {
            return Optional.empty();
        }
        int colon = text.lastIndexOf(':');
        String fix = "write ADDRESS:PORT such as 127.0.0.1:2025 or [::1]:2025, or \"off\" to disable";
        if (colon <= 0) throw fail(k, "'" + text + "' has no port; " + fix);
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":")) throw fail(k, "put IPv6 addresses in brackets: " + fix);
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw fail(k, "'" + text + "' has a bad port; " + fix);
        }
        if (port < 0 || port > 65535) throw fail(k, "port " + port + " is out of range 0..65535; " + fix);
        boolean literal = host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        if (!literal) throw fail(k, "'" + host + "' is not an IP address (host names are not resolved); " + fix);
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (UnknownHostException e) {
            throw fail(k, "'" + host + "' is not a valid IP address; " + fix);
        }
    }
}
