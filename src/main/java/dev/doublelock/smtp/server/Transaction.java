package dev.doublelock.smtp.server;

import dev.doublelock.smtp.MailPath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One mail transaction in progress: MAIL FROM given, recipients accumulating (RFC 5321 3.3). */
final class Transaction {
    final MailPath from;
    final Map<String, String> mailParameters;
    final boolean smtpUtf8;
    final List<MailPath> recipients = new ArrayList<>();

    Transaction(MailPath from, Map<String, String> mailParameters, boolean smtpUtf8) {
        this.from = from;
        this.mailParameters = Map.copyOf(mailParameters);
        this.smtpUtf8 = smtpUtf8;
    }
}
