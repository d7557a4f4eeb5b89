#!/usr/bin/env bash
# bench/lab.sh: 200 concurrent senders doing EHLO/STARTTLS/EHLO/MAIL/RCPT/DATA/QUIT against the lab's `good`
# profile, then against a Postfix receiver (Debian package) on the same machine with the same certificate,
# in the same run, with the same key-exchange groups (BSI-listed: P-256, P-384). Prints sessions/s and p99
# session time for both and the ratio. Loopback only.
# Needs root (Postfix instance) and the postfix package. Usage: bench/lab.sh [SECONDS] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-20}
CONCURRENCY=${2:-200}
# the same load first, not counted, against both targets: the lab is a JVM and the load generator too;
# a lab runs for weeks, so its steady state is what counts (WARMUP=0 measures from a cold start)
WARMUP=${WARMUP:-20}
LAB_BASE=27000
PF_PORT=27400  # the lab takes base..base+40 and, for its MTA-STS scenario MXs, base+100 and up
work=$(mktemp -d /tmp/doublelock-bench-lab.XXXXXX)
chmod 755 "$work"
lab_pid=""
cleanup() {
  [ -n "$lab_pid" ] && kill "$lab_pid" 2>/dev/null || true
  [ -f "$work/pf/main.cf" ] && postfix -c "$work/pf" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

[ -f target/doublelock.jar ] || mvn -q -B -DskipTests package
./doublelock lab --base-port $LAB_BASE --web-port -1 --data "$work/lab" > "$work/lab.out" 2>&1 &
lab_pid=$!
for _ in $(seq 1 120); do grep -q "recording sessions" "$work/lab.out" && break; sleep 0.5; done
grep -q "recording sessions" "$work/lab.out" || { cat "$work/lab.out"; exit 1; }
./doublelock lab certs --data "$work/lab" --out "$work/certs" >/dev/null

# Postfix receiver with the good profile's certificate, discarding what it receives
pf="$work/pf"; mkdir -p "$pf/queue" "$pf/data"; chown postfix "$pf/data"
sed 's/^smtp      inet/#smtp      inet/' /etc/postfix/master.cf > "$pf/master.cf"
echo "127.0.0.1:$PF_PORT inet n - n - - smtpd" >> "$pf/master.cf"
cat > "$pf/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = localhost
mydestination =
mynetworks = 127.0.0.0/8
relay_domains = lab.test
relay_transport = discard:
default_transport = discard:
alias_maps =
alias_database =
maillog_file = $pf/maillog
maillog_file_prefixes = /tmp
smtpd_tls_security_level = may
# the same key-exchange groups as the lab's good profile (BSI-listed only), so both answer alike
tls_eecdh_auto_curves = prime256v1 secp384r1
tls_ffdhe_auto_groups =
smtpd_tls_chain_files = $work/certs/good.key.pem, $work/certs/good.chain.pem
smtpd_recipient_restrictions = permit_mynetworks, reject
default_process_limit = $((CONCURRENCY + 50))
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
smtpd_client_message_rate_limit = 0
CF
postfix -c "$pf" start >/dev/null
sleep 1

echo "== $CONCURRENCY concurrent senders, ${SECONDS_PER_RUN}s each after ${WARMUP}s of warm-up, full STARTTLS sessions (verified against the lab CA)"
lab_line=$(./doublelock bench-smtp --port $LAB_BASE --trust "$work/certs/ca.pem" --concurrency "$CONCURRENCY" --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" --label "doublelock lab (good)" || true)
echo "$lab_line"
pf_line=$(./doublelock bench-smtp --port $PF_PORT --trust "$work/certs/ca.pem" --concurrency "$CONCURRENCY" --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" --label "Postfix $(postconf -d -h mail_version) smtpd" || true)
echo "$pf_line"
rate() { sed -E 's/.*= ([0-9.]+) sessions\/s.*/\1/' <<< "$1"; }
p99() { sed -E 's/.*p99 ([0-9.]+) ms.*/\1/' <<< "$1"; }
awk -v a="$(rate "$lab_line")" -v b="$(rate "$pf_line")" -v pa="$(p99 "$lab_line")" -v pb="$(p99 "$pf_line")" \
  'BEGIN { printf "ratio lab/Postfix: %.2fx sessions/s; p99 %.1f ms vs %.1f ms (target: >= 1.00x)\n", a/b, pa, pb }'
