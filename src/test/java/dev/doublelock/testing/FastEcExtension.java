package dev.doublelock.testing;

import dev.doublelock.tls.FastEc;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every test JVM computes its elliptic curves as {@code doublelock} does in production: the command line
 * installs {@link FastEc} first thing, so the tests do too (registered for all test classes through
 * {@code META-INF/services} and {@code junit-platform.properties}).
 */
public final class FastEcExtension implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        FastEc.install();
    }
}
