package dev.doublelock.dns;

/**
 * One mail exchanger of a domain.
 *
 * @param name       the host name, without the trailing dot, lower case
 * @param preference the MX preference (lower is tried first)
 * @param implicit   true when the domain has no MX records and the domain itself is used
 *                   (RFC 5321 §5.1 "implicit MX")
 */
public record MxHost(String name, int preference, boolean implicit) {
    public MxHost {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("MX host name must not be empty");
        }
        if (preference < 0 || preference > 65535) {
            throw new IllegalArgumentException("MX preference must be 0..65535, got " + preference);
        }
    }
}
