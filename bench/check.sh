#!/usr/bin/env bash
# bench/check.sh — how fast is `doublelock check` next to testssl.sh and sslscan (Debian packages)?
#
# Starts the lab on 127.0.0.1 (ports 26000..26014), then
#   1. times one full assessment of the lab's `good` STARTTLS endpoint by each tool, whole processes
#      (JVM start included), the same way (date +%s%N around the command), and prints the ratios;
#   2. times a batch of ~1,000 endpoints (the lab endpoints repeated, --no-probe-reuse) through `check --batch`, with
#      endpoints/s and peak RSS (/usr/bin/time -v), against sslscan run over the same endpoints one after another.
# Talks only to 127.0.0.1. Stops the lab it started. Not part of the test suite; run it by hand:
#   bench/check.sh            (env: BASE_PORT=26000 REPEAT=67 CONCURRENCY=32 CONNECTIONS=32 SSLSCAN_BATCH=1)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
BASE_PORT=${BASE_PORT:-26000}
REPEAT=${REPEAT:-67}
CONCURRENCY=${CONCURRENCY:-32}
CONNECTIONS=${CONNECTIONS:-32}

for tool in testssl sslscan /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install testssl.sh sslscan time)" >&2; exit 2; }
done
if [ ! -f target/doublelock.jar ] || [ -n "$(find src pom.xml -newer target/doublelock.jar -print -quit)" ]; then
  echo "bench: building target/doublelock.jar ..." >&2
  (export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}; mvn -q -B -DskipTests package) >&2
fi
# `check` runs through ./doublelock once Main registers it; until then through its own main class
probe=$(./doublelock check 2>&1 || true)
if [[ "$probe" != *"Unmatched argument"* ]]; then
  CHECK=(./doublelock check)
else
  java=
  for j in "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/*/bin/java; do
    if [ -x "$j" ] && "$j" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); exit !(v[1] >= 21) }'; then java=$j; break; fi
  done
  [ -n "$java" ] || { echo "bench: needs Java 21+ (set JAVA_HOME)" >&2; exit 2; }
  CHECK=("$java" -cp target/doublelock.jar dev.doublelock.cli.CheckCommand)
fi

work=$(mktemp -d)
lab_pid=
cleanup() {
  if [ -n "$lab_pid" ]; then kill "$lab_pid" 2>/dev/null || true; wait "$lab_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
./doublelock lab --bind 127.0.0.1 --base-port "$BASE_PORT" --web-port -1 --data "$work/lab" >"$work/lab.log" 2>&1 &
lab_pid=$!
for _ in $(seq 1 240); do
  grep -q '^recording sessions' "$work/lab.log" 2>/dev/null && break
  kill -0 "$lab_pid" 2>/dev/null || { cat "$work/lab.log" >&2; echo "bench: the lab did not start" >&2; exit 2; }
  sleep 0.5
done
grep -q '^recording sessions' "$work/lab.log" || { echo "bench: the lab did not start in 120 s" >&2; exit 2; }
ca="$work/lab/pki/ca.pem"
good=$(awk '$2 == "good" { print $1 }' "$work/lab.log")
# the profile table's rows (not the DNS endpoint "PORT dns zone …", nor the MTA-STS scenarios "PORT sts-…" and
# their HTTPS policy host "PORT mta-sts …", which are not profiles)
mapfile -t ports < <(awk '$1 ~ /^[0-9]+$/ && NF >= 2 && $2 != "dns" && $2 != "mta-sts" && $2 !~ /^sts-/ { print $1 }' "$work/lab.log")
echo "lab: ${#ports[@]} endpoints on 127.0.0.1:${ports[0]}..${ports[-1]}, good = $good"

cat >"$work/openssl.cnf" <<'CNF'
openssl_conf = default_conf
[default_conf]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MinProtocol = None
CipherString = ALL:@SECLEVEL=0
CNF

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

echo
echo "== one endpoint, full assessment (127.0.0.1:$good, whole processes) =="
# one untimed run first: it makes the launcher's class-data-sharing archive (target/cds), as the first run on any
# machine does; every later run starts from it
"${CHECK[@]}" "127.0.0.1:$good" --trust "$ca" --name localhost --json >/dev/null 2>&1 || true
t0=$(now); "${CHECK[@]}" "127.0.0.1:$good" --trust "$ca" --name localhost --json >"$work/check.json" || true; t1=$(now)
t_check=$(secs "$t0" "$t1")
t0=$(now)
NXCONNECT=127.0.0.1:0 OPENSSL_CONF="$work/openssl.cnf" testssl --warnings batch --starttls smtp --ip 127.0.0.1 \
  --nodns none --add-ca "$ca" --jsonfile "$work/testssl.json" "localhost:$good" >"$work/testssl.out" 2>&1 || true
t1=$(now); t_testssl=$(secs "$t0" "$t1")
t0=$(now); sslscan --starttls-smtp --xml="$work/sslscan.xml" "127.0.0.1:$good" >"$work/sslscan.out" 2>&1 || true; t1=$(now)
t_sslscan=$(secs "$t0" "$t1")
suites_check=$(python3 -c "import json,sys; h=json.load(open('$work/check.json'))['hosts'][0]; print(sum(len(v) for v in h['suites'].values()))" 2>/dev/null || echo '?')
suites_sslscan=$(grep -c '<cipher status="accepted"\|<cipher status="preferred"' "$work/sslscan.xml" || true)
printf "doublelock check  %7s s   (%s suites found)\n" "$t_check" "$suites_check"
printf "testssl.sh        %7s s   -> check is %sx faster\n" "$t_testssl" "$(ratio "$t_testssl" "$t_check")"
printf "sslscan           %7s s   (%s suites found) -> check takes %sx sslscan's time\n" "$t_sslscan" "$suites_sslscan" "$(ratio "$t_check" "$t_sslscan")"

echo
echo "== batch: ${#ports[@]} lab endpoints x $REPEAT =="
: >"$work/batch.txt"
for _ in $(seq 1 "$REPEAT"); do for p in "${ports[@]}"; do echo "127.0.0.1:$p" >>"$work/batch.txt"; done; done
n=$(wc -l <"$work/batch.txt")
t0=$(now)
# --no-probe-reuse: the batch repeats the same endpoints, which a run would otherwise probe once each
/usr/bin/time -v -o "$work/time.txt" "${CHECK[@]}" --batch "$work/batch.txt" --concurrency "$CONCURRENCY" \
  --connections-per-host "$CONNECTIONS" --trust "$ca" --name localhost --no-probe-reuse >"$work/batch.jsonl" 2>"$work/batch.err" || true
t1=$(now); t_batch=$(secs "$t0" "$t1")
lines=$(wc -l <"$work/batch.jsonl")
incomplete=$(grep -c '"incomplete":true' "$work/batch.jsonl" || true)
rss=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$work/time.txt")
printf "doublelock check --batch: %s endpoints, %s JSON lines (%s incomplete) in %s s = %s endpoints/s, peak RSS %s MB\n" \
  "$n" "$lines" "$incomplete" "$t_batch" "$(ratio "$n" "$t_batch")" "$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')"
if [ "${SSLSCAN_BATCH:-1}" = 0 ]; then
  echo "sslscan over the batch: skipped (SSLSCAN_BATCH=0; it takes ~5 min one endpoint after another)"
  exit 0
fi
t0=$(now)
while read -r ep; do sslscan --starttls-smtp --xml=- "$ep" >/dev/null 2>&1 || true; done <"$work/batch.txt"
t1=$(now); t_seq=$(secs "$t0" "$t1")
printf "sslscan, one process per endpoint, one after another: %s s = %s endpoints/s -> check --batch is %sx faster\n" \
  "$t_seq" "$(ratio "$n" "$t_seq")" "$(ratio "$t_seq" "$t_batch")"
