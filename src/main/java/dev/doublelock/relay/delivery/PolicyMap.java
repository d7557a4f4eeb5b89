package dev.doublelock.relay.delivery;

import dev.doublelock.policy.Policies;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Which TLS policy applies to which recipient domain, like Postfix's {@code smtp_tls_policy_maps}: a default
 * ({@code bsi}) and per-domain exceptions (exact domain, or {@code ".example.org"} for its subdomains).
 * Policy names are built-in names or policy files ({@link Policies#resolve}).
 *
 * @param mode ENFORCE refuses sessions with FAIL findings; TESTING delivers as {@code opportunistic} would but
 *             logs and counts every session the policy would have refused, to preview the impact
 */
public record PolicyMap(String defaultPolicy, Map<String, String> perDomain, Mode mode) {

    /** Whether a policy's verdict is acted on or only reported. */
    public enum Mode {
        /** Refuse sessions the policy fails. */
        ENFORCE,
        /** Deliver as opportunistic would; log what would have been refused. */
        TESTING
    }

    public PolicyMap {
        Objects.requireNonNull(defaultPolicy, "defaultPolicy");
        Objects.requireNonNull(mode, "mode");
        Map<String, String> m = new LinkedHashMap<>();
        (perDomain == null ? Map.<String, String>of() : perDomain)
                .forEach((k, v) -> m.put(k.strip().toLowerCase(Locale.ROOT), Objects.requireNonNull(v, "policy of " + k)));
        perDomain = Map.copyOf(m);
    }

    /** {@code bsi} for every domain, enforced. */
    public static PolicyMap defaults() {
        return new PolicyMap(Policies.DEFAULT, Map.of(), Mode.ENFORCE);
    }

    /** The name (or file) of the policy for {@code domain}. */
    public String policyFor(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        String exact = perDomain.get(d);
        if (exact != null) {
            return exact;
        }
        for (String parent = d; parent.contains("."); ) {
            parent = parent.substring(parent.indexOf('.') + 1);
            String p = perDomain.get("." + parent);
            if (p != null) {
                return p;
            }
        }
        return defaultPolicy;
    }

    public PolicyMap withDomain(String domain, String policy) {
        Map<String, String> m = new LinkedHashMap<>(perDomain);
        m.put(domain, policy);
        return new PolicyMap(defaultPolicy, m, mode);
    }

    public PolicyMap withMode(Mode newMode) {
        return new PolicyMap(defaultPolicy, perDomain, newMode);
    }
}
