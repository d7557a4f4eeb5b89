package dev.doublelock.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @Test
    void helpSucceedsAndUnknownCommandFails() {
        assertThat(Main.run("--help")).isZero();
        assertThat(Main.run("no-such-command")).isEqualTo(2);
    }
}
