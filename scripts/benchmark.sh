#!/usr/bin/env bash
# Times Ferry against the plain PostgreSQL tools on the same data in the same run, and prints the
# ratios. It starts a source PostgreSQL holding the sample shop at about --size-mb megabytes, an
# empty target PostgreSQL and a local S3 server (s3proxy over HTTP), then measures:
#   A  pg_dump -Fc | pg_restore              (direct pipe, the floor)
#   B  pg_dump -Fc -f file, aws s3 cp up, aws s3 cp down, pg_restore   (staged by hand through S3)
#   F  ./ferry run <migration>               (postgres-logical: dump → zstd → S3 → verify → restore → smoke tests)
#      with the peak RSS of Ferry's JVM alone (VmHWM of the java process; pg_dump/pg_restore not counted)
# and, unless --no-compression, what the dump's compression choices cost. Each method restores into
# its own empty database. Everything it starts is stopped and deleted at exit, also on failure.
# Exit status: 0 when Ferry's run passed, 1 when it (or a baseline) failed, 2 on bad usage.
set -euo pipefail

FERRY_HOME="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
SIZE_MB=1000
COMPRESSION=1
RSS_LIMIT_MB=512

usage() {
  cat <<EOF
Usage: scripts/benchmark.sh [--size-mb N] [--no-compression]
  --size-mb N        size of the source database in MB (pg_database_size; default $SIZE_MB)
  --no-compression   skip timing pg_dump's gzip against zstd levels
Environment: FERRY_JAVA_OPTS is passed to Ferry's JVM as by ./ferry (default -Xmx256m -XX:+UseSerialGC).
EOF
}

while (($#)); do
  case "$1" in
    --size-mb) SIZE_MB="${2:?--size-mb needs a number}"; shift 2 ;;
    --size-mb=*) SIZE_MB="${1#*=}"; shift ;;
    --no-compression) COMPRESSION=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$SIZE_MB" =~ ^[0-9]+$ && "$SIZE_MB" -ge 1 ]] || { echo "--size-mb must be a positive integer" >&2; exit 2; }

say() { printf '[benchmark %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---- tools -----------------------------------------------------------------------------------
install_debian() {
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing Debian package(s): $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
  else
    echo "Missing $*; install it (Debian: apt-get install $*)" >&2
    exit 1
  fi
}
if ! command -v java >/dev/null || ! command -v mvn >/dev/null || ! command -v pg_dump >/dev/null; then
  "$FERRY_HOME/scripts/install-prerequisites.sh" >&2
fi
[[ -x /usr/bin/time ]] || install_debian time
command -v zstd >/dev/null || install_debian zstd
command -v aws >/dev/null || install_debian awscli

# ---- workspace and cleanup -------------------------------------------------------------------
WORK="$(mktemp -d /tmp/ferry-bench-XXXXXX)"
chmod 700 "$WORK"
ENV_PID=""
FERRY_PID=""
SAMPLER_PID=""

cleanup() {
  local status=$?
  set +e
  [[ -n "$SAMPLER_PID" ]] && kill "$SAMPLER_PID" 2>/dev/null
  if [[ -n "$FERRY_PID" ]] && kill -0 "$FERRY_PID" 2>/dev/null; then
    say "stopping Ferry (pid $FERRY_PID)"
    kill -- "-$FERRY_PID" 2>/dev/null || kill "$FERRY_PID" 2>/dev/null
  fi
  if [[ -n "$ENV_PID" ]]; then
    # closing its stdin tells the environment to stop its servers and delete their folders
    exec 3>&- 2>/dev/null
    for _ in $(seq 1 120); do kill -0 "$ENV_PID" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$ENV_PID" 2>/dev/null; then
      kill "$ENV_PID" 2>/dev/null   # its shutdown hook still stops the servers
      wait "$ENV_PID" 2>/dev/null
    fi
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- build once, so that ./ferry does not rebuild inside the measured run ----------------------
say "building Ferry"
(cd "$FERRY_HOME" && mvn -q -B -DskipTests package) >&2

# ---- servers ---------------------------------------------------------------------------------
mkdir -p "$WORK/env" "$WORK/files" "$WORK/state"
mkfifo "$WORK/control"
say "starting the servers and loading about ${SIZE_MB} MB of sample data"
java -Xmx512m -Dferry.home="$FERRY_HOME" -cp "$FERRY_HOME/target/ferry.jar" dev.ferry.bench.BenchmarkEnvironment \
  --size-mb "$SIZE_MB" --out "$WORK/env" <"$WORK/control" >"$WORK/environment.log" 2>&1 &
ENV_PID=$!
exec 3>"$WORK/control"
until [[ -f "$WORK/env/bench.env" ]]; do
  if ! kill -0 "$ENV_PID" 2>/dev/null; then
    cat "$WORK/environment.log" >&2
    echo "The benchmark environment did not start" >&2
    exit 1
  fi
  sleep 1
done
sed 's/^/  /' "$WORK/environment.log" >&2
# shellcheck source=/dev/null
source "$WORK/env/bench.env"
SOURCE_PASSWORD="$(cat "$SOURCE_PASSWORD_FILE")"
TARGET_PASSWORD="$(cat "$TARGET_PASSWORD_FILE")"
DB_MB=$((BENCH_DB_BYTES / 1048576))

src() { PGPASSWORD="$SOURCE_PASSWORD" "$@" --host="$SOURCE_HOST" --port="$SOURCE_PORT" --username="$SOURCE_USER" --no-password; }
tgt() { PGPASSWORD="$TARGET_PASSWORD" "$@" --host="$TARGET_HOST" --port="$TARGET_PORT" --username="$TARGET_USER" --no-password; }
tgt_sql() { tgt psql --quiet --no-psqlrc --tuples-only --no-align -v ON_ERROR_STOP=1 --dbname="${2:-postgres}" -c "$1"; }
src_sql() { src psql --quiet --no-psqlrc --tuples-only --no-align -v ON_ERROR_STOP=1 --dbname="$SOURCE_DB" -c "$1"; }
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
mb() { awk -v b="$1" 'BEGIN { m = b / 1048576; printf (m < 10 ? "%.1f" : "%.0f"), m }'; }

# a plain S3 client: the aws CLI with the local server's keys, sending checksums only when required
aws_s3() {
  AWS_ACCESS_KEY_ID="$S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$(cat "$S3_SECRET_FILE")" AWS_DEFAULT_REGION=us-east-1 \
    AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    aws --endpoint-url "$S3_ENDPOINT" --only-show-errors s3 "$@"
}

EXPECTED="$(src_sql "SELECT count(*) || '/' || sum(quantity) FROM order_items")"
check_copy() {   # database on the target: same order_items count and quantity sum as the source
  local got
  got="$(tgt_sql "SELECT count(*) || '/' || sum(quantity) FROM order_items" "$1")"
  if [[ "$got" != "$EXPECTED" ]]; then
    echo "Restored $1 differs from the source: order_items $got, expected $EXPECTED" >&2
    exit 1
  fi
}
PG_RESTORE_FLAGS=(--no-owner --no-privileges --exit-on-error)

ROW_METHOD=(); ROW_SECONDS=(); ROW_NOTE=()
record() { ROW_METHOD+=("$1"); ROW_SECONDS+=("$2"); ROW_NOTE+=("$3"); }

# other work on the machine skews the seconds: say how busy it was
LOAD_START="$(cut -d' ' -f1 /proc/loadavg)"
if awk -v l="$LOAD_START" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
  say "warning: load average $LOAD_START on $(nproc) cores before measuring; the timings will be skewed"
fi

# ---- A: pg_dump -Fc | pg_restore ---------------------------------------------------------------
say "A: pg_dump -Fc | pg_restore"
tgt_sql "CREATE DATABASE bench_a"
t0=$(now)
src pg_dump --format=custom --dbname="$SOURCE_DB" | tgt pg_restore "${PG_RESTORE_FLAGS[@]}" --dbname=bench_a
t1=$(now)
A_SECONDS=$(seconds "$t0" "$t1")
check_copy bench_a
tgt_sql "DROP DATABASE bench_a"
record "A  pg_dump -Fc | pg_restore (direct pipe)" "$A_SECONDS" "no S3, no checks"

# ---- B: staged by hand through S3 ----------------------------------------------------------------
say "B: pg_dump -Fc to a file, aws s3 cp up, aws s3 cp down, pg_restore"
tgt_sql "CREATE DATABASE bench_b"
b0=$(now)
src pg_dump --format=custom --dbname="$SOURCE_DB" --file="$WORK/files/shop.dump"
b1=$(now)
aws_s3 cp "$WORK/files/shop.dump" "s3://$S3_BUCKET/by-hand/shop.dump"
b2=$(now)
aws_s3 cp "s3://$S3_BUCKET/by-hand/shop.dump" "$WORK/files/shop.downloaded.dump"
b3=$(now)
tgt pg_restore "${PG_RESTORE_FLAGS[@]}" --dbname=bench_b "$WORK/files/shop.downloaded.dump"
b4=$(now)
B_SECONDS=$(seconds "$b0" "$b4")
B_DUMP_BYTES=$(stat -c %s "$WORK/files/shop.dump")
check_copy bench_b
tgt_sql "DROP DATABASE bench_b"
rm -f "$WORK/files/"*.dump
aws_s3 rm "s3://$S3_BUCKET/by-hand/shop.dump"
record "B  staged by hand: dump file, aws s3 cp up/down, pg_restore" "$B_SECONDS" \
  "dump $(seconds "$b0" "$b1") + up $(seconds "$b1" "$b2") + down $(seconds "$b2" "$b3") + restore $(seconds "$b3" "$b4") s; $(mb "$B_DUMP_BYTES") MB gzip"

# ---- F: Ferry ------------------------------------------------------------------------------
say "F: ./ferry run (postgres-logical), measuring the JVM's peak RSS"
# VmHWM of the java process (the launcher execs java, so it is the direct child of /usr/bin/time)
sample_hwm() {
  local pid="" hwm=0 value
  for _ in $(seq 1 200); do pid="$(pgrep -P "$1" | head -n 1)" && [[ -n "$pid" ]] && break; sleep 0.05; done
  [[ -n "$pid" ]] || return 0
  while value="$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)" && [[ -n "$value" ]]; do
    hwm=$value
    echo "$hwm" >"$WORK/ferry.hwm.kb"
    sleep 0.2
  done
}
f0=$(now)
set +e
setsid /usr/bin/time -v -o "$WORK/ferry.time" "$FERRY_HOME/ferry" run "$MIGRATION_FILE" \
  --state-dir "$WORK/state" --report "$WORK/ferry-report.json" >"$WORK/ferry.log" 2>&1 &
FERRY_PID=$!
sample_hwm "$FERRY_PID" &
SAMPLER_PID=$!
wait "$FERRY_PID"
FERRY_STATUS=$?
f1=$(now)
wait "$SAMPLER_PID" 2>/dev/null
set -e
FERRY_PID=""
SAMPLER_PID=""
F_SECONDS=$(seconds "$f0" "$f1")
JVM_HWM_MB=$(awk '{ printf "%.0f", $1 / 1024 }' "$WORK/ferry.hwm.kb" 2>/dev/null || echo "?")
TREE_MAX_MB=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$WORK/ferry.time" 2>/dev/null || echo "?")
if [[ $FERRY_STATUS -ne 0 ]]; then
  say "Ferry's run FAILED (exit $FERRY_STATUS); its output ends with:"
  tail -n 40 "$WORK/ferry.log" >&2
else
  check_copy "$FERRY_TARGET_DB"
fi
STEPS=""
STORED=""
if command -v jq >/dev/null && [[ -s "$WORK/ferry-report.json" ]]; then
  STEPS="$(jq -r '[.steps[]? | select(.durationMs > 0) | "\(.id) \((.durationMs / 100 | round) / 10)"] | join(", ")' \
    "$WORK/ferry-report.json" 2>/dev/null || true)"
  STORED="$(jq -r '[.steps[]? | .figures.storedBytes // empty] | first // empty' "$WORK/ferry-report.json" 2>/dev/null || true)"
fi
record "F  ferry run (dump, zstd, S3, verify, restore, smoke tests)" "$F_SECONDS" \
  "$([[ $FERRY_STATUS -eq 0 ]] && echo passed || echo "FAILED exit $FERRY_STATUS")${STEPS:+; steps s: $STEPS}"

# ---- compression choices (dump only, to /dev/null, bytes counted) ---------------------------------
C_METHOD=(); C_SECONDS=(); C_BYTES=()
if [[ $COMPRESSION -eq 1 ]]; then
  say "compression: pg_dump -Fc (gzip) against -Z0 piped into zstd"
  measure_dump() {  # label, pipeline after pg_dump (reads stdin, writes stdout)
    local t0 t1 bytes
    t0=$(now)
    bytes=$(src pg_dump --format=custom "${@:3}" --dbname="$SOURCE_DB" | eval "$2" | wc -c)
    t1=$(now)
    C_METHOD+=("$1"); C_SECONDS+=("$(seconds "$t0" "$t1")"); C_BYTES+=("$bytes")
  }
  measure_dump "pg_dump -Fc (gzip level 6 inside pg_dump)" cat
  measure_dump "pg_dump -Fc -Z0 (no compression)" cat --compress=0
  measure_dump "pg_dump -Fc -Z0 | zstd -1 -T2" "zstd -q -1 -T2 -c" --compress=0
  measure_dump "pg_dump -Fc -Z0 | zstd -3 -T2 (Ferry's default level)" "zstd -q -3 -T2 -c" --compress=0
fi

# ---- report -------------------------------------------------------------------------------
LOAD_END="$(cut -d' ' -f1 /proc/loadavg)"
RSS_VERDICT="under"
[[ "$JVM_HWM_MB" =~ ^[0-9]+$ && $JVM_HWM_MB -lt $RSS_LIMIT_MB ]] || RSS_VERDICT="NOT under"
{
  echo
  echo "Ferry benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM"
  echo "source: PostgreSQL $BENCH_PG_MAJOR, database $SOURCE_DB = $DB_MB MB (pg_database_size), scale $BENCH_SCALE, $BENCH_ROWS rows"
  echo "Ferry JVM options: ${FERRY_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}"
  echo "load average (1 min) before / after measuring: $LOAD_START / $LOAD_END (single runs: read ratios as shapes)"
  echo
  printf '%-62s %9s %9s %10s  %s\n' "method" "seconds" "ratio/A" "peak RSS" "notes"
  for i in "${!ROW_METHOD[@]}"; do
    rss="-"
    [[ "${ROW_METHOD[$i]}" == F* ]] && rss="${JVM_HWM_MB} MB"
    printf '%-62s %9s %9s %10s  %s\n' "${ROW_METHOD[$i]}" "${ROW_SECONDS[$i]}" \
      "$(awk -v s="${ROW_SECONDS[$i]}" -v a="$A_SECONDS" 'BEGIN { printf "%.2f", s / a }')" "$rss" "${ROW_NOTE[$i]}"
  done
  echo
  echo "Ferry peak RSS: JVM alone (VmHWM) ${JVM_HWM_MB} MB — ${RSS_VERDICT} ${RSS_LIMIT_MB} MB;" \
    "largest process of its tree per /usr/bin/time -v: ${TREE_MAX_MB} MB"
  if [[ -n "$STORED" ]]; then echo "Ferry stored in S3: $(mb "$STORED") MB (zstd); by hand (pg_dump gzip): $(mb "$B_DUMP_BYTES") MB"; fi
  if ((${#C_METHOD[@]})); then
    echo
    printf '%-62s %9s %9s %10s\n' "dump compression (dump only, output counted)" "seconds" "ratio/A" "size"
    for i in "${!C_METHOD[@]}"; do
      printf '%-62s %9s %9s %10s\n' "${C_METHOD[$i]}" "${C_SECONDS[$i]}" \
        "$(awk -v s="${C_SECONDS[$i]}" -v a="$A_SECONDS" 'BEGIN { printf "%.2f", s / a }')" "$(mb "${C_BYTES[$i]}") MB"
    done
  fi
  echo
} | tee "$FERRY_HOME/target/benchmark-${SIZE_MB}mb.txt"

[[ $FERRY_STATUS -eq 0 ]] || exit 1
