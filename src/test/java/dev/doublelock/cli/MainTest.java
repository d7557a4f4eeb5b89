package dev.doublelock.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;


import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @Test
    void helpSucceedsAndUnknownCommandFails() {
        assertThat(Main.run("--help")).isZero();
        assertThat(Main.run("no-such-command")).isEqualTo(2);
    }

    /** Only the named command is built; help and errors see them all. */
    @Test
    void theFirstNonOptionArgumentNamesTheCommand() {
        assertThat(Main.named("--debug", "check", "example.org")).contains(CheckCommand.class);
        assertThat(Main.named("policy", "show", "bsi")).contains(PolicyCommand.class);
        assertThat(Main.named("help", "check")).isEmpty();
        assertThat(Main.named("chekc")).isEmpty();
        assertThat(Main.named("--help")).isEmpty();
    }

    @Test
    void topLevelHelpListsEveryCommandAndHelpCommandNamesOne() {
        String help = LabCliTest.capture(() -> assertThat(Main.run("--help")).isZero());
        for (Class<?> c : Main.COMMANDS) {
            Command command = c.getAnnotation(Command.class);
            if (!command.hidden()) assertThat(help).contains("  " + command.name() + " ");
        }
        assertThat(help).contains("  help ");
        assertThat(LabCliTest.capture(() -> assertThat(Main.run("help", "check")).isZero())).contains("Usage: doublelock check");
    }
}
