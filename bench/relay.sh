#!/usr/bin/env bash
# bench/relay.sh: the relay under load, beside Postfix, in the same run (issue 4, performance).
#
# One receiver: the lab's `good` profile (TLS, certificate from the lab CA, records every delivered session
# in lab.db). Two relays in front of it, each routing bench.test to that receiver and each refusing any
# session that is not verified TLS:
#   - doublelock relay: relay listener, policy bsi enforce, policy.trust = lab CA, SQLite queue
#     (WAL, synchronous=FULL: every message is on disk before the 250), delivery.perDestinationConcurrency =
#     DL_DELIVERY_CONCURRENCY (default 20, like Postfix's default_destination_concurrency_limit);
#   - Postfix (Debian package): smtpd from 127.0.0.0/8, transport bench.test -> smtp:[127.0.0.1]:GOOD,
#     smtp_tls_security_level = secure (its queue files are fsynced before the 250, as always).
# Both listeners offer STARTTLS with the lab's `good` certificate, so the load is identical: CONCURRENCY
# senders doing EHLO/STARTTLS/EHLO/MAIL/RCPT/DATA/QUIT for SECONDS, one message per session, first to one
# relay, then (after it has delivered everything) to the other; each relay gets WARMUP_SECONDS of unmeasured load
# first. With ROUNDS > 1 the pair is repeated, alternating which relay goes first.
#
# Prints per relay: messages/s accepted, accept latency p50/p99 (MAIL FROM to the 250 after the end of data),
# messages/s delivered = accepted messages / (last arrival at the lab - first accept), the connections each relay
# opened to the receiver, the relay's CPU time per message, and the ratios.
# Target: doublelock >= Postfix in throughput, accept p99 < 50 ms "at that load". A closed loop runs each relay at its
# own saturation, where latency is only concurrency / throughput (Little's law), so the latency target is measured in
# an open loop afterwards: LATENCY_RATE sessions started per second (default: 100 % of what Postfix accepted in the
# closed loop, i.e. Postfix's throughput), the same schedule for both relays.
#
# RELAY_JAVA_OPTS: extra JVM options for the doublelock relay only (e.g. a JFR recording).
# Loopback only. Needs root (Postfix instance), the postfix and sqlite3 packages.
# PF_CONNECTION_CACHE=1: Postfix caches its TLS connections to the receiver always (smtp_connection_cache_destinations,
# smtp_tls_connection_reuse through tlsproxy),
# not only on demand under backlog as by default; doublelock caches them 2 s by default (delivery.connectionCacheMillis).
# Usage: [PF_CONNECTION_CACHE=1] [ROUNDS=N] [WARMUP_SECONDS=S] [OPEN_WARMUP_SECONDS=S] [LATENCY_RATE=R (0: skip)] [DL_DELIVERY_CONCURRENCY=C] bench/relay.sh [SECONDS] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-20}
CONCURRENCY=${2:-50}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-300}
ROUNDS=${ROUNDS:-1}                  # >1: repeat, alternating which relay goes first (this machine is noisy)
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
OPEN_WARMUP_SECONDS=${OPEN_WARMUP_SECONDS:-10}  # open loop: the same rate first, same generator JVM, not measured
# doublelock's outgoing concurrency to the one destination; 20 = Postfix's default_destination_concurrency_limit
DL_DELIVERY_CONCURRENCY=${DL_DELIVERY_CONCURRENCY:-20}  # unmeasured load first (JIT, process pools), delivered before the measured run
LAB_BASE=27200          # the lab's good profile listens on the base port
DL_PORT=27300           # doublelock relay listener
PF_PORT=27301           # Postfix smtpd
DL_NAME=doublelock-relay.bench
PF_NAME=postfix-relay.bench

[ "$(id -u)" = 0 ] || { echo "bench/relay.sh: run as root (it starts a private Postfix instance)" >&2; exit 2; }
command -v postfix >/dev/null || { echo "bench/relay.sh: needs the postfix package" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "bench/relay.sh: needs sqlite3 (apt-get install -y sqlite3)" >&2; exit 2; }

work=$(mktemp -d /tmp/doublelock-bench-relay.XXXXXX)
chmod 755 "$work"
lab_pid=""
relay_pid=""
cleanup() {
  [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null && wait "$relay_pid" 2>/dev/null || true
  [ -n "$lab_pid" ] && kill "$lab_pid" 2>/dev/null && wait "$lab_pid" 2>/dev/null || true
  [ -f "$work/pf/main.cf" ] && postfix -c "$work/pf" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

await_line() { # FILE TEXT: wait up to 60 s for TEXT in FILE
  for _ in $(seq 1 120); do grep -q "$2" "$1" && return 0; sleep 0.5; done
  echo "bench/relay.sh: no '$2' in $1:" >&2; cat "$1" >&2; exit 1
}

[ -f target/doublelock.jar ] || mvn -q -B -DskipTests package

# --- the receiver: the lab's good profile
# the receiver only: no lab DNS (nor, with it, the MTA-STS scenario MXs on base + 100, which would take DL_PORT)
./doublelock lab --base-port $LAB_BASE --web-port -1 --dns-port -1 --data "$work/lab" > "$work/lab.out" 2>&1 &
lab_pid=$!
await_line "$work/lab.out" "recording sessions"
./doublelock lab certs --data "$work/lab" --out "$work/certs" >/dev/null
ca="$work/certs/ca.pem"

# --- doublelock relay
cat > "$work/relay.json" <<JSON
{
  "dataDir": "$work/relay",
  "hostName": "$DL_NAME",
  "submission": { "listen": "off" },
  "relay": { "listen": "127.0.0.1:$DL_PORT", "allowedNetworks": ["127.0.0.0/8"] },
  "tls": { "certificate": "$work/certs/good.chain.pem", "key": "$work/certs/good.key.pem" },
  "metrics": { "listen": "off" },
  "limits": { "maxConnections": $((CONCURRENCY + 50)) },
  "policy": { "default": "bsi", "mode": "enforce", "trust": ["$ca"] },
  "routes": { "bench.test": ["[127.0.0.1]:$LAB_BASE"] },
  "delivery": { "concurrency": $DL_DELIVERY_CONCURRENCY, "perDestinationConcurrency": $DL_DELIVERY_CONCURRENCY }
}
JSON
DOUBLELOCK_JAVA_OPTS="${RELAY_JAVA_OPTS:-}" ./doublelock relay --config "$work/relay.json" > "$work/relay.out" 2>&1 &
relay_pid=$!

# --- Postfix relay (private instance)
pf="$work/pf"; mkdir -p "$pf/queue" "$pf/data"; chown postfix "$pf/data"
sed 's/^smtp      inet/#smtp      inet/' /etc/postfix/master.cf > "$pf/master.cf"
echo "127.0.0.1:$PF_PORT inet n - n - - smtpd" >> "$pf/master.cf"
[ -n "${PF_CONNECTION_CACHE:-}" ] && echo "tlsproxy unix - - n - 0 tlsproxy" >> "$pf/master.cf"
cat > "$pf/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = $PF_NAME
mydestination =
mynetworks = 127.0.0.0/8
relay_domains = bench.test
transport_maps = inline:{ bench.test=smtp:[127.0.0.1]:$LAB_BASE }
alias_maps =
alias_database =
maillog_file = $pf/maillog
maillog_file_prefixes = /tmp
smtpd_tls_security_level = may
smtpd_tls_chain_files = $work/certs/good.key.pem, $work/certs/good.chain.pem
smtpd_relay_restrictions = permit_mynetworks, reject
smtp_tls_security_level = secure
smtp_tls_CAfile = $ca
smtp_tls_secure_cert_match = localhost
smtp_tls_session_cache_database = btree:$pf/data/smtp_scache
${PF_CONNECTION_CACHE:+smtp_connection_cache_destinations = 127.0.0.1}
${PF_CONNECTION_CACHE:+smtp_tls_connection_reuse = yes}
default_process_limit = $((CONCURRENCY + 50))
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
smtpd_client_message_rate_limit = 0
CF
postfix -c "$pf" start >/dev/null

await_line "$work/relay.out" "stop with Ctrl-C"
sleep 1

delivered() { # EHLO_NAME AFTER_ID -> "messages last_ended_at_ms connections" for that relay's sessions with mail
  sqlite3 "$work/lab/lab.db" "SELECT COALESCE(SUM(messages),0), COALESCE(MAX(ended_at),0), COUNT(*)
    FROM lab_sessions WHERE ehlo_name='$1' AND messages > 0 AND id > $2"
}
last_id() { sqlite3 "$work/lab/lab.db" "SELECT COALESCE(MAX(id),0) FROM lab_sessions"; }

load() { # LABEL PORT SECONDS [RATE [WARMUP]]: prints bench-smtp's line (RATE: open loop, sessions started per second;
         # WARMUP: seconds of the same open loop first, in the same JVM, not measured; its summary goes to stderr)
  ./doublelock bench-smtp --port "$2" --trust "$ca" --to sink@bench.test --concurrency "$CONCURRENCY" \
    --seconds "$3" --accept-latency --label "$1" ${4:+--rate "$4"} ${5:+--warmup "$5"} || true
}

await_delivered() { # LABEL EHLO_NAME AFTER_ID COUNT: waits; prints "messages last_ended_at_ms connections"
  local waited=0 got last conns
  while :; do
    read -r got last conns < <(delivered "$2" "$3" | tr '|' ' ')
    [ "$got" -ge "$4" ] && break
    if [ "$waited" -ge $((DRAIN_TIMEOUT * 5)) ]; then
      echo "bench/relay.sh: $1 delivered only $got of $4 within ${DRAIN_TIMEOUT}s after the load" >&2
      break
    fi
    sleep 0.2; waited=$((waited + 1))
  done
  echo "$got $last $conns"
}

cpu_ticks() { # PID: CPU ticks of PID and its live children, plus its reaped children
  local pid=$1 total=0 p f
  for p in "$pid" $(pgrep -P "$pid"); do
    f=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null) || continue
    if [ "$p" = "$pid" ]; then total=$((total + $(awk '{ print $12 + $13 + $14 + $15 }' <<< "$f")))
    else total=$((total + $(awk '{ print $12 + $13 }' <<< "$f"))); fi
  done
  echo "$total"
}
tck=$(getconf CLK_TCK)

# run LABEL PORT EHLO_NAME PID: load, then wait for every accepted message at the lab; prints one result line
run() { # LABEL PORT EHLO_NAME PID [RATE]
  local label=$1 port=$2 ehlo=$3 pid=$4 rate_arg=${5:-} line accepted first cpu0 cpu1 base got last conns
  if [ "$WARMUP_SECONDS" -gt 0 ]; then
    base=$(last_id)
    line=$(load "$label (warm-up)" "$port" "$WARMUP_SECONDS")
    echo "$line" >&2
    accepted=$(sed -nE 's/.*; ([0-9]+) messages = .*/\1/p' <<< "$line")
    await_delivered "$label (warm-up)" "$ehlo" "$base" "${accepted:-0}" >/dev/null
  fi
  base=$(last_id)
  cpu0=$(cpu_ticks "$pid")
  local warm_accepted=0
  if [ -n "$rate_arg" ]; then
    # open loop: OPEN_WARMUP_SECONDS at the same rate in the same load generator first, so neither the generator's
    # JIT nor a relay still draining earlier work is measured; those messages count for CPU/msg, not for latency
    line=$(load "$label" "$port" "$SECONDS_PER_RUN" "$rate_arg" "$OPEN_WARMUP_SECONDS" 2> "$work/warm.err")
    cat "$work/warm.err" >&2
    warm_accepted=$(sed -nE 's/.*warm-up ([0-9]+) sessions in.*/\1/p' "$work/warm.err" | head -1)
  else
    line=$(load "$label" "$port" "$SECONDS_PER_RUN")
  fi
  echo "$line" >&2
  accepted=$(sed -nE 's/.*; ([0-9]+) messages = .*/\1/p' <<< "$line")
  first=$(sed -nE 's/.*first accept at ([0-9]+) ms.*/\1/p' <<< "$line")
  [ -n "$accepted" ] && [ "$accepted" -gt 0 ] || { echo "bench/relay.sh: $label accepted nothing" >&2; exit 1; }
  read -r got last conns < <(await_delivered "$label" "$ehlo" "$base" "$((accepted + ${warm_accepted:-0}))")
  cpu1=$(cpu_ticks "$pid")
  local rate p50 p99
  rate=$(sed -nE 's/.* = ([0-9.]+) messages\/s.*/\1/p' <<< "$line")
  p50=$(sed -nE 's/.*accept p50 ([0-9.]+) ms.*/\1/p' <<< "$line")
  p99=$(sed -nE 's/.*accept p99 ([0-9.]+) ms.*/\1/p' <<< "$line")
  # delivered/s and drain s count the measured messages (in the open loop the receiver's count also holds the
  # warm-up's, which arrive first); CPU/msg counts all messages, as the CPU time does
  [ "${warm_accepted:-0}" -gt 0 ] && got_measured=$accepted || got_measured=$got
  awk -v l="$label" -v a="$accepted" -v g="$got_measured" -v all="$got" -v f="$first" -v t="$last" -v r="$rate" -v p50="$p50" -v p99="$p99" -v c="$conns" \
    -v cpu="$(( (cpu1 - cpu0) * 1000 / tck ))" \
    'BEGIN { s = (t - f) / 1000; printf "%s|%d|%d|%.1f|%.1f|%.1f|%.1f|%.1f|%d|%.1f\n", l, a, g, r, g / s, s, p50, p99, c, cpu / all }'
}

echo "== $CONCURRENCY concurrent senders, ${SECONDS_PER_RUN}s per relay, one message per STARTTLS session;"
echo "   relays deliver to the lab's good profile over verified TLS (doublelock: bsi enforce; Postfix: secure)"
echo "   (load average before: $(cut -d" " -f1-3 /proc/loadavg); nproc $(nproc); figures are only comparable within one run)"
pf_pid=$(tr -d ' ' < "$pf/queue/pid/master.pid")
pf_label="Postfix $(postconf -d -h mail_version)"
row() { # RESULT [ROUND]
  local l a g ra rd s p50 p99 c cpu
  IFS='|' read -r l a g ra rd s p50 p99 c cpu <<< "$1"
  printf "%-20s %9d %9d %12.1f %13.1f %9.1f %7.1f ms %7.1f ms %12d %9.1f ms\n" "$l${2:-}" "$a" "$g" "$ra" "$rd" "$s" "$p50" \
    "$p99" "$c" "$cpu"
}
results=()
for round in $(seq 1 "$ROUNDS"); do
  # alternate the order so neither relay always runs while the machine is busier
  if [ $((round % 2)) = 1 ]; then
    dl=$(run "doublelock relay" $DL_PORT $DL_NAME "$relay_pid")
    pf_result=$(run "$pf_label" $PF_PORT $PF_NAME "$pf_pid")
  else
    pf_result=$(run "$pf_label" $PF_PORT $PF_NAME "$pf_pid")
    dl=$(run "doublelock relay" $DL_PORT $DL_NAME "$relay_pid")
  fi
  results+=("$dl" "$pf_result")
  WARMUP_SECONDS=0
done

printf "%-20s %9s %9s %12s %13s %9s %10s %10s %12s %12s\n" relay accepted delivered "accepted/s" "delivered/s" "drain s" \
  "acc p50" "acc p99" "connections" "CPU/msg"
for ((k = 0; k < ${#results[@]}; k++)); do
  if [ "$ROUNDS" -gt 1 ]; then row "${results[$k]}" " #$((k / 2 + 1))"; else row "${results[$k]}"; fi
done
echo "(drain s = first accept to last arrival at the receiver; connections = TLS sessions the relay opened to the"
echo " receiver; CPU/msg = CPU time of the relay's processes (JVM; Postfix master and its children) per delivered message)"
for ((k = 0; k < ${#results[@]}; k += 2)); do
  IFS="|" read -r _ _ _ dra drd _ _ dp99 _ <<< "${results[$k]}"
  IFS="|" read -r _ _ _ pra prd _ _ pp99 _ <<< "${results[$((k + 1))]}"
  awk -v dra="$dra" -v drd="$drd" -v pra="$pra" -v prd="$prd" -v p99="$dp99" -v pp99="$pp99" -v r="$([ "$ROUNDS" -gt 1 ] && echo " #$((k / 2 + 1))")" 'BEGIN {
    printf "ratio doublelock/Postfix%s: accepted %.2fx, delivered %.2fx (target >= 1.00x); accept p99 %.1f ms vs %.1f ms (target < 50 ms)\n",
      r, dra / pra, drd / prd, p99, pp99 }'
done

# Accept latency at Postfix's throughput: open loop, LATENCY_RATE sessions started per second (default: Postfix's
# accepted/s in the last closed-loop round above), at most CONCURRENCY at once, same order.
if [ "${LATENCY_RATE:-}" != "0" ]; then
  IFS="|" read -r _ _ _ pra _ <<< "${results[$((${#results[@]} - 1))]}"
  rate=${LATENCY_RATE:-$(awk -v p="$pra" 'BEGIN { printf "%d", p }')}
  echo
  echo "== open loop: $rate sessions started per second (at most $CONCURRENCY at once), ${SECONDS_PER_RUN}s per relay"
  dl=$(run "doublelock relay" $DL_PORT $DL_NAME "$relay_pid" "$rate")
  pf_result=$(run "$pf_label" $PF_PORT $PF_NAME "$pf_pid" "$rate")
  printf "%-20s %9s %9s %12s %13s %9s %10s %10s %12s %12s\n" relay accepted delivered "accepted/s" "delivered/s" "drain s" \
    "acc p50" "acc p99" "connections" "CPU/msg"
  row "$dl"
  row "$pf_result"
  IFS="|" read -r _ _ _ _ _ _ _ dp99 _ <<< "$dl"
  IFS="|" read -r _ _ _ _ _ _ _ pp99 _ <<< "$pf_result"
  awk -v p99="$dp99" -v pp99="$pp99" -v r="$rate" 'BEGIN {
    printf "accept p99 at %d sessions/s offered: doublelock %.1f ms, Postfix %.1f ms (target < 50 ms)\n", r, p99, pp99 }'
fi
