package dev.doublelock.relay;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The delivery part of the relay's configuration, handed to the {@link DeliveryEngineFactory}.
 *
 * @param defaultPolicy  policy for domains without an entry, e.g. {@code bsi}
 * @param mode           {@code enforce} (refuse what fails the policy) or {@code testing} (deliver as
 *                       opportunistic would, but report what would have been refused)
 * @param domainPolicies recipient domain → policy name or file (a policy map, like Postfix's)
 * @param routes         recipient domain → next hops ({@code host}, {@code host:port},
 *                       {@code [ip]:port}) used instead of the domain's MX records
 * @param trustFiles     PEM files of CAs trusted for outgoing sessions in addition to the JDK's store
 * @param tuning         concurrency, lease and polling of the delivery engine
 */
public record DeliverySettings(String defaultPolicy, String mode, Map<String, String> domainPolicies,
                               Map<String, List<String>> routes, List<java.nio.file.Path> trustFiles,
                               DeliveryTuning tuning) {
    public static final Set<String> MODES = Set.of("enforce", "testing");

    public DeliverySettings {
        Objects.requireNonNull(defaultPolicy, "defaultPolicy");
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException("mode must be enforce or testing, not " + mode);
        }
        domainPolicies = Map.copyOf(new TreeMap<>(domainPolicies));
        TreeMap<String, List<String>> r = new TreeMap<>();
        routes.forEach((k, v) -> r.put(k, List.copyOf(v)));
        routes = Map.copyOf(r);
        trustFiles = List.copyOf(trustFiles);
        Objects.requireNonNull(tuning, "tuning");
    }

    public DeliverySettings(String defaultPolicy, String mode, Map<String, String> domainPolicies,
                            Map<String, List<String>> routes, List<java.nio.file.Path> trustFiles) {
        this(defaultPolicy, mode, domainPolicies, routes, trustFiles, DeliveryTuning.defaults());
    }

    public DeliverySettings(String defaultPolicy, String mode, Map<String, String> domainPolicies,
                            Map<String, List<String>> routes) {
        this(defaultPolicy, mode, domainPolicies, routes, List.of());
    }

    /** {@link #mode} as the delivery engine's enum. */
    public dev.doublelock.relay.delivery.PolicyMap.Mode policyMode() {
        return mode.equals("testing") ? dev.doublelock.relay.delivery.PolicyMap.Mode.TESTING
                : dev.doublelock.relay.delivery.PolicyMap.Mode.ENFORCE;
    }

    /** {@code bsi} in enforce mode, no per-domain entries, MX routing everywhere. */
    public static DeliverySettings defaults() {
        return new DeliverySettings("bsi", "enforce", Map.of(), Map.of());
    }
}
