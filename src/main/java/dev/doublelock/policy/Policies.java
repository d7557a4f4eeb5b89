package dev.doublelock.policy;

import dev.doublelock.io.TextFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in policies (JSON resources next to this class) and user policy files. A policy may
 * {@code "extends"} a built-in one: its rules replace the base rules with the same id and add new ones.
 */
public final class Policies {
    /** The default policy name. */
    public static final String DEFAULT = "bsi";
    private static final List<String> BUILT_IN = List.of("bsi", "bsi-strict", "tr-03108", "opportunistic");

    private Policies() {
    }

    public static List<String> builtInNames() {
        return BUILT_IN;
    }

    public static Policy builtIn(String name) {
        String origin = "built-in policy '" + name + "'";
        return resolveExtends(PolicyReader.parse(rawJson(name), origin), origin, 0);
    }

    /** The data file of a built-in policy, as shipped (for {@code policy show}). */
    public static String rawJson(String name) {
        if (!BUILT_IN.contains(name)) {
            throw new PolicyException("unknown policy '" + name + "'; built-in policies: " + String.join(", ", BUILT_IN)
                    + " (or give the path of a policy JSON file)");
        }
        try (InputStream in = Policies.class.getResourceAsStream(name + ".json")) {
            if (in == null) throw new PolicyException("built-in policy '" + name + "' is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyException("cannot read built-in policy '" + name + "': " + e.getMessage(), e);
        }
    }

    /** A policy file's text, as read by the caller ({@code origin} names it in errors). */
    public static Policy parse(String text, String origin) {
        return resolveExtends(PolicyReader.parse(text, origin), origin, 0);
    }

    /** A built-in name, else a path to a policy file; the error lists the built-in names. */
    public static Policy resolve(String nameOrFile) {
        if (BUILT_IN.contains(nameOrFile)) return builtIn(nameOrFile);
        Optional<String> text;
        try {
            text = TextFiles.readIfFile(nameOrFile);
        } catch (java.io.UncheckedIOException e) {
            throw new PolicyException("cannot read policy file: " + e.getMessage(), e);
        }
        if (text.isPresent()) return parse(text.get(), "policy file " + nameOrFile);
        throw new PolicyException("unknown policy '" + nameOrFile + "': not a built-in policy ("
                + String.join(", ", BUILT_IN) + ") and no such file");
    }

    private static Policy resolveExtends(Policy p, String origin, int depth) {
        if (p.extendsPolicy().isEmpty()) return p;
        String baseName = p.extendsPolicy().get();
        if (depth > 5) throw new PolicyException(origin + ": 'extends' chain is too deep (a loop?)");
        if (!BUILT_IN.contains(baseName)) {
            throw new PolicyException(origin + ": extends unknown policy '" + baseName
                    + "'; it can extend: " + String.join(", ", BUILT_IN));
        }
        String baseOrigin = "built-in policy '" + baseName + "'";
        Policy base = resolveExtends(PolicyReader.parse(rawJson(baseName), baseOrigin), baseOrigin, depth + 1);
        Map<String, Rule> merged = new LinkedHashMap<>();
        base.rules().forEach(r -> merged.put(r.id(), r));
        p.rules().forEach(r -> merged.put(r.id(), r));
        return new Policy(p.name(), p.version(), p.title(), p.source(), p.mode(), new ArrayList<>(merged.values()),
                p.extendsPolicy());
    }
}
