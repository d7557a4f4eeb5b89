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
    void controlCharactersDoNotSurvive() {
        assertThat(HtmlReport.esc("a\u0000b\u001bc")).isEqualTo("a&#xFFFD;b&#xFFFD;c");
    }
}
