package dev.doublelock.cli;

import dev.doublelock.queue.QueuedMessage;
import dev.doublelock.queue.RecipientState;
import dev.doublelock.queue.State;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code doublelock queue list}: what waits, like Postfix's {@code postqueue -p} (mailq): per message its id (with
 * {@code *} while being delivered, {@code !} when held), size, arrival, sender, and per recipient the last reason it
 * is not delivered yet, in words with the finding codes; then a summary line. The whole queue is read page by page,
 * so a queue of any size is listed in bounded memory. {@code --json} prints one object per line (like
 * {@code postqueue -j}).
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List what waits in the queue (like postqueue -p): id (* being delivered, ! held), size, "
                + "arrival, sender, and per recipient why it is not delivered yet. Lowest id first.",
                "--all adds delivered, bounced and deleted messages; --state picks states."})
final class QueueListCommand implements Callable<Integer> {
    /** The states a message waits in: what {@code postqueue -p} would show. */
    static final Set<State> WAITING = EnumSet.of(State.QUEUED, State.DELIVERING, State.DEFERRED, State.HELD);
    private static final int PAGE = 500;
    private static final DateTimeFormatter ARRIVAL = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC).withLocale(java.util.Locale.ROOT);

    @Spec
    CommandSpec spec;
    @Mixin
    QueueTarget target;
    @Option(names = "--all", description = "every message, also delivered, bounced and deleted ones")
    boolean all;
    @Option(names = "--state", paramLabel = "S", split = ",",
            description = "only these states: ${COMPLETION-CANDIDATES} (default: QUEUED, DELIVERING, DEFERRED, HELD)")
    Set<State> states = EnumSet.noneOf(State.class);
    @Option(names = "--limit", paramLabel = "N", description = "at most N messages (default: all)")
    long limit = Long.MAX_VALUE;
    @Option(names = "--json", description = "one JSON object per message and line (JSON Lines)")
    boolean json;

    @Override
    public Integer call() {
        Set<State> wanted = !states.isEmpty() ? states : all ? EnumSet.allOf(State.class) : WAITING;
        return QueueCommand.withQueue(spec, target, (store, out) -> {
            long count = 0;
            long octets = 0;
            long after = 0;
            boolean header = false;
            while (count < limit) {
                List<QueuedMessage> page = store.list(wanted, after, (int) Math.min(PAGE, limit - count));
                if (page.isEmpty()) {
                    break;
                }
                for (QueuedMessage m : page) {
                    if (json) {
                        out.println(Json.line(row(m)));
                    } else {
                        if (!header) {
                            out.printf("%-10s %8s %-20s  %s%n", "-Queue ID-", "--Size--", "----Arrival Time----",
                                    "-Sender/Recipient-------");
                            header = true;
                        }
                        print(out, m, all || !states.isEmpty());
                    }
                    count++;
                    octets += m.size();
                    after = m.id();
                }
            }
            if (!json) {
                out.println(summary(count, octets, wanted));
            }
            return 0;
        });
    }

    static String summary(long count, long octets, Set<State> wanted) {
        if (count == 0) {
            return wanted.equals(WAITING) ? "Mail queue is empty" : "No messages in " + wanted;
        }
        return "-- " + Math.max(1, (octets + 1023) / 1024) + " Kbytes in " + count
                + (count == 1 ? " Request." : " Requests.");
    }

    private static void print(PrintWriter out, QueuedMessage m, boolean showState) {
        String mark = switch (m.state()) {
            case DELIVERING -> "*";
            case HELD -> "!";
            default -> "";
        };
        out.printf("%-10s %8d %-20s  %s%n", m.id() + mark, m.size(), ARRIVAL.format(m.queuedAt()),
                m.envelope().nullSender() ? "MAILER-DAEMON" : m.envelope().mailFrom());
        if (showState) {
            out.printf("%42s[%s, %d attempt%s]%n", "", m.state(), m.attempts(), m.attempts() == 1 ? "" : "s");
        }
        String lastReason = null;
        for (Map.Entry<String, RecipientState> r : m.recipients().entrySet()) {
            boolean pending = r.getValue() == RecipientState.PENDING;
            if (!pending && !showState) {
                continue; // like postqueue: only recipients that still wait
            }
            String reason = m.recipientReasons().get(r.getKey());
            if (reason != null && !reason.equals(lastReason)) {
                out.println(wrapped("(" + reason + ")"));
                lastReason = reason;
            }
            out.printf("%42s%s%s%n", "", r.getKey(), pending ? "" : "  (" + r.getValue().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        out.println();
    }

    /** The reason line, wrapped at 78 columns like postqueue's, continuation lines indented. */
    private static String wrapped(String text) {
        StringBuilder sb = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > 78) {
                sb.append(line).append(System.lineSeparator());
                line = new StringBuilder(" ");
            }
            if (line.length() > 0 && !line.toString().equals(" ")) {
                line.append(' ');
            }
            line.append(word);
        }
        return sb.append(line).toString();
    }

    /** The JSON Lines object: postqueue -j's names where it has them, plus state, attempts and finding codes. */
    static Map<String, Object> row(QueuedMessage m) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("queue_name", switch (m.state()) {
            case QUEUED -> m.attempts() == 0 ? "incoming" : "deferred";
            case DELIVERING -> "active";
            case DEFERRED -> "deferred";
            case HELD -> "hold";
            default -> m.state().name().toLowerCase(java.util.Locale.ROOT);
        });
        row.put("queue_id", m.id());
        row.put("state", m.state().name());
        row.put("arrival_time", m.queuedAt().getEpochSecond());
        row.put("queued_at", m.queuedAt().toString());
        row.put("message_size", m.size());
        row.put("sender", m.envelope().mailFrom());
        row.put("message_id", m.messageId());
        row.put("attempts", m.attempts());
        row.put("next_attempt_at", m.nextAttemptAt().toString());
        List<Map<String, Object>> recipients = new ArrayList<>();
        m.recipients().forEach((address, status) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("address", address);
            r.put("status", status.name());
            String reason = m.recipientReasons().get(address);
            r.put("delay_reason", reason);
            r.put("finding_codes", reason == null ? List.of() : findingCodes(reason));
            recipients.add(r);
        });
        row.put("recipients", recipients);
        return row;
    }

    /** The codes in brackets in a reason, e.g. [EXPIRED_CERTIFICATE], in order, once each. */
    static List<String> findingCodes(String reason) {
        return dev.doublelock.relay.impact.ReasonCodes.in(reason);
    }

}
