package dev.doublelock.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return PolicyCommand.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void listNamesEveryBuiltIn() {
        assertThat(run("list")).isZero();
        assertThat(out.toString()).contains("bsi*", "bsi-strict", "tr-03108", "opportunistic");
    }

    @Test
    void showPrintsTheDataFileAndResolvedRules() {
        assertThat(run("show", "bsi-strict")).isZero();
        assertThat(out.toString()).contains("\"extends\": \"bsi\"", "listedUntil");
        assertThat(run("show", "--resolved", "bsi-strict")).isZero();
        assertThat(out.toString()).contains("bsi.cert.key.minimum", "source: BSI TR-02102-2");
    }

    @Test
    void unknownPolicyFailsWithTheKnownNames() {
        assertThat(run("show", "nist")).isEqualTo(2);
        assertThat(err.toString()).contains("bsi, bsi-strict, tr-03108, opportunistic");
    }

    @Test
    void helpWorks() {
        assertThat(run("--help")).isZero();
        assertThat(run("show", "--help")).isZero();
    }
}
