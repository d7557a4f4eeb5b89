package dev.doublelock.check;

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlReportTest {
    private static final String HOSTILE = "\"><script>alert(1)</script><img src=x onerror='alert(2)'>&amp;";

    @Test
    void everyValueFromTheNetworkIsEscaped() {
        Finding f = new Finding(FindingCode.BAD_CERT_DOMAIN, Severity.FAIL, HOSTILE, HOSTILE, HOSTILE, HOSTILE);
        HostReport host = new HostReport(HOSTILE, Optional.of("127.0.0.1"), 25, List.of(f));
        DomainReport domain = new DomainReport(HOSTILE, List.of(new DomainReport.Mx(HOSTILE, 10, false)), "found", false,
                List.of(new DomainReport.DaneOfHost(HOSTILE, HOSTILE, HOSTILE)), HOSTILE, List.of(HOSTILE),
                Optional.of(List.of(HOSTILE)), List.of(HOSTILE));
        CheckReport r = new CheckReport(HOSTILE, HOSTILE, Instant.EPOCH, List.of(host), Optional.of(domain), List.of(f));
        StringWriter out = new StringWriter();
        HtmlReport html = new HtmlReport(out);
        html.begin();
        html.section(r);
        html.end();
        String page = out.toString();
        assertThat(page).doesNotContain("<script", "<img", "onerror='", "\"><s")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&amp;amp;", "&#39;alert(2)&#39;");
        assertThat(page.split("<section>", -1)).hasSize(2);
    }

    @Test
    void severalTargetsGetASummaryFirstAndComeInInputOrderWhateverOrderTheyFinishedIn() {
        StringWriter out = new StringWriter();
        HtmlReport html = new HtmlReport(out);
        html.begin();
        Finding weak = new Finding(FindingCode.WEAK_KEY, Severity.FAIL, "mx", "RSA 1024", "use 3072 bits", "bsi §3.6");
        html.section(2, report("third.example", List.of()));
        html.skipped(1, "not a target!", "bad target");
        html.section(0, report("first.example", List.of(weak)));
        assertThat(out.toString()).as("nothing but the head before the end").doesNotContain("first.example", "third.example");
        html.end();
        String page = out.toString();
        int summary = page.indexOf("<h2>Summary</h2>");
        assertThat(summary).isPositive();
        int first = page.indexOf("first.example", summary);
        int skipped = page.indexOf("not a target!", summary);
        int third = page.indexOf("third.example", summary);
        assertThat(first).isLessThan(skipped);
        assertThat(skipped).isLessThan(third);
        int sections = page.indexOf("<section>");
        assertThat(sections).isGreaterThan(third);
        assertThat(page.indexOf("first.example", sections)).isLessThan(page.indexOf("third.example", sections));
        assertThat(page.substring(summary, sections)).contains("WEAK_<wbr>KEY", "NON_COMPLIANT", "COMPLIANT");
    }

    @Test
    void oneTargetHasNoSummary() {
        StringWriter out = new StringWriter();
        HtmlReport html = new HtmlReport(out);
        html.begin();
        html.section(report("only.example", List.of()));
        html.end();
        assertThat(out.toString()).contains("only.example").doesNotContain("Summary");
    }

    private static CheckReport report(String target, List<Finding> findings) {
        return new CheckReport(target, "bsi", Instant.EPOCH,
                List.of(new HostReport(target, Optional.of("192.0.2.1"), 25, findings)), Optional.empty(), List.of());
    }

    @Test
    void controlCharactersDoNotSurvive() {
        assertThat(HtmlReport.esc("a\u0000b\u001bc")).isEqualTo("a&#xFFFD;b&#xFFFD;c");
    }
}
