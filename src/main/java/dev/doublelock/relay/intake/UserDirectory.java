package dev.doublelock.relay.intake;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The submission users and their stored password hashes, from the relay's configuration. A lookup for
 * an unknown user still runs one PBKDF2 derivation with as many iterations as the costliest real
 * user's, so response time does not tell which user names exist. User names compare exactly.
 */
public final class UserDirectory {
    private final Map<String, PasswordHash> users;
    private final PasswordHash decoy;

    public UserDirectory(Map<String, PasswordHash> users) {
        this.users = Map.copyOf(new TreeMap<>(users));
        int iterations = this.users.values().stream().mapToInt(PasswordHash::iterations).max()
                .orElse(PasswordHash.MIN_ITERATIONS);
        this.decoy = PasswordHash.create("decoy".toCharArray(), iterations);
    }

    public static UserDirectory none() {
        return new UserDirectory(Map.of());
    }

    /** True if {@code user} exists and {@code password} is theirs. */
    public boolean authenticate(String user, char[] password) {
        PasswordHash stored = users.get(user);
        if (stored == null) {
            decoy.matches(password); // the same kind of work as for a real user
            return false;
        }
        return stored.matches(password);
    }

    public boolean isEmpty() {
        return users.isEmpty();
    }

    public Set<String> names() {
        return users.keySet();
    }
}
