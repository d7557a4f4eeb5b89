package dev.doublelock.config;

/**
 * A configuration file that cannot be used. The message names the file, the key (as a dotted path,
 * e.g. {@code relay.allowedNetworks[1]}) and how to fix it.
 */
public final class ConfigException extends RuntimeException {
    private final String file;
    private final String key;

    public ConfigException(String file, String key, String problem) {
        super(file + ": " + (key.isEmpty() ? "" : key + ": ") + problem);
        this.file = file;
        this.key = key;
    }

    public String file() {
        return file;
    }

    /** The dotted path of the offending key, or "" for the file as a whole. */
    public String key() {
        return key;
    }
}
