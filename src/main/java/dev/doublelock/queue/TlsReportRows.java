package dev.doublelock.queue;

import dev.doublelock.tlsrpt.ResultCount;
import dev.doublelock.tlsrpt.SessionResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code tlsrpt_count} table: one row per UTC day, policy and outcome, its {@code sessions} counted up with an
 * upsert that SQLite (3.24+) and PostgreSQL both speak, so concurrent nodes add to the same row.
 */
final class TlsReportRows {
    private TlsReportRows() {
    }

    static void count(Connection c, SessionResult r) throws SQLException {
        Optional<SessionResult.Failure> f = r.failure();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO tlsrpt_count (day, policy_domain, policy_type, "
                + "policy_strings, mx_host, result_type, sending_ip, receiving_mx, receiving_ip, reason, sessions) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (day, policy_domain, policy_type, policy_strings, "
                + "mx_host, result_type, sending_ip, receiving_mx, receiving_ip, reason) "
                + "DO UPDATE SET sessions = tlsrpt_count.sessions + 1")) {
            Sql.bind(p, r.at().atZone(ZoneOffset.UTC).toLocalDate().toString(),
                    r.policyDomain().toLowerCase(java.util.Locale.ROOT), r.policyType(), String.join("\n", r.policyStrings()),
                    r.mxHost().toLowerCase(java.util.Locale.ROOT),
                    f.map(SessionResult.Failure::resultType).orElse(""),
                    f.map(SessionResult.Failure::sendingMtaIp).orElse(""),
                    f.map(SessionResult.Failure::receivingMxHostname).orElse(""),
                    f.map(SessionResult.Failure::receivingIp).orElse(""),
                    f.map(SessionResult.Failure::failureReasonCode).orElse(""));
            p.executeUpdate();
        }
    }

    static List<ResultCount> of(Connection c, LocalDate day) throws SQLException {
        List<ResultCount> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT policy_domain, policy_type, policy_strings, mx_host, "
                + "result_type, sending_ip, receiving_mx, receiving_ip, reason, sessions FROM tlsrpt_count WHERE day = ? "
                + "ORDER BY policy_domain, policy_type, policy_strings, mx_host, result_type, sending_ip, receiving_mx, "
                + "receiving_ip, reason")) {
            p.setString(1, day.toString());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String strings = rs.getString(3);
                    Optional<SessionResult.Failure> failure = rs.getString(5).isEmpty() ? Optional.empty()
                            : Optional.of(new SessionResult.Failure(rs.getString(5), rs.getString(6), rs.getString(7),
                            rs.getString(8), rs.getString(9)));
                    out.add(new ResultCount(day, rs.getString(2), strings.isEmpty() ? List.of() : List.of(strings.split("\n")),
                            rs.getString(1), rs.getString(4), failure, rs.getLong(10)));
                }
            }
        }
        return out;
    }
}
