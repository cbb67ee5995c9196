#!/usr/bin/env bash
# Times Ferry against the plain tools on the same data, the same servers and the same local S3 server
# (s3proxy over HTTP; HTTPS for pgBackRest; loopback only) in one call, --runs times each, and prints the median wall time,
# the peak RSS and the ratios issue 12 sets as targets. Per engine it starts a source server holding
# the sample shop at about --size-mb megabytes and an empty target server, then measures:
# PostgreSQL
#   A  pg_dump -Fc | pg_restore              (direct pipe, the floor)
#   B  pg_dump -Fc -f file, aws s3 cp up, aws s3 cp down, pg_restore   (stage by stage through S3)
#   C  pgcopydb clone                        (parallel COPY and index builds; no S3 copy, no checks)
#   F  ./ferry run <migration>               (postgres-logical: dump, zstd, S3, verify, restore, smoke tests)
# MySQL/MariaDB
#   MA mariadb-dump | mariadb                (direct pipe)
#   MB mydumper, then myloader               (per-table parallel dump and load through a folder)
#   MF ./ferry run <migration>               (mysql-logical)
#   MJ ./ferry run <migration> --set import.jobs=N   (only with --mysql-jobs N: INSERTs loaded by N sessions)
# pgBackRest (physical: the whole source cluster; the repository on the same s3proxy, over HTTPS)
#   PH pgbackrest stanza-create, check, backup --type=full, restore into a fresh data directory,
#      start the server there                (by hand, with the options Ferry's configuration has)
#   PF ./ferry run <migration>               (postgres-physical: the same, plus info, version check
#                                             and smoke test)
# Peak RSS: for Ferry the JVM alone (VmHWM of the java process); for a tool method the largest single
# process of it (/usr/bin/time's maximum resident set size, which covers the whole process tree).
# Unless --no-compression, also what pg_dump's compression choices cost. Each method restores, in each
# run, into its own fresh empty database. Everything the script starts is stopped and deleted at exit,
# also on failure.
# Exit status: 0 when every measured run passed its check, 1 when one failed, 2 on bad usage.
# A missed target is printed as MISS; it does not change the exit status.
set -euo pipefail

FERRY_HOME="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
SIZE_MB=1000
RUNS=3
ENGINE=all
COMPRESSION=1
MYSQL_JOBS=1
RSS_LIMIT_MB=512

usage() {
  cat <<EOF
Usage: scripts/benchmark.sh [--size-mb N] [--runs N] [--engine postgresql|mysql|pgbackrest|all] [--no-compression]
  --size-mb N        size of each source database in MB (PostgreSQL: pg_database_size; MariaDB: InnoDB
                     data + index length, capped at the sample's largest scale; default $SIZE_MB)
  --runs N           runs of each method; the median is reported (default $RUNS)
  --engine E         postgresql, mysql (MariaDB), pgbackrest (physical PostgreSQL) or all
                     (default $ENGINE: every ratio from one call)
  --no-compression   skip timing pg_dump's gzip against zstd levels
  --mysql-jobs N     also time Ferry's MySQL run with import.jobs N (row MJ, beside MF's default)
Environment: FERRY_JAVA_OPTS is passed to Ferry's JVM as by ./ferry (default -Xmx256m -XX:+UseSerialGC);
  FERRY_BENCH_REPORTS=DIR keeps the report of each Ferry run there;
  FERRY_BENCH_SET="key=value ..." passes each pair to every Ferry run as --set key=value.
EOF
}

while (($#)); do
  case "$1" in
    --size-mb) SIZE_MB="${2:?--size-mb needs a number}"; shift 2 ;;
    --size-mb=*) SIZE_MB="${1#*=}"; shift ;;
    --runs) RUNS="${2:?--runs needs a number}"; shift 2 ;;
    --runs=*) RUNS="${1#*=}"; shift ;;
    --engine) ENGINE="${2:?--engine needs postgresql, mysql, pgbackrest or all}"; shift 2 ;;
    --engine=*) ENGINE="${1#*=}"; shift ;;
    --no-compression) COMPRESSION=0; shift ;;
    --mysql-jobs) MYSQL_JOBS="${2:?--mysql-jobs needs a number}"; shift 2 ;;
    --mysql-jobs=*) MYSQL_JOBS="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$SIZE_MB" =~ ^[0-9]+$ && "$SIZE_MB" -ge 1 ]] || { echo "--size-mb must be a positive integer" >&2; exit 2; }
[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 1 ]] || { echo "--runs must be a positive integer" >&2; exit 2; }
[[ "$MYSQL_JOBS" =~ ^[0-9]+$ ]] || { echo "--mysql-jobs must be a positive integer" >&2; exit 2; }
[[ "$ENGINE" =~ ^(postgresql|mysql|pgbackrest|all)$ ]] || { echo "--engine must be postgresql, mysql, pgbackrest or all, not $ENGINE" >&2; exit 2; }
WANT_PG=0; WANT_MY=0; WANT_PGBR=0
if [[ "$ENGINE" == postgresql || "$ENGINE" == all ]]; then WANT_PG=1; fi
if [[ "$ENGINE" == mysql || "$ENGINE" == all ]]; then WANT_MY=1; fi
if [[ "$ENGINE" == pgbackrest || "$ENGINE" == all ]]; then WANT_PGBR=1; fi

say() { printf '[benchmark %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---- tools -----------------------------------------------------------------------------------
can_install() { [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; }
install_debian() {
  if can_install; then
    say "installing Debian package(s): $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
  else
    echo "Missing $*; install it (Debian: apt-get install $*)" >&2
    exit 1
  fi
}
# a baseline's tool: installed when possible; else the reason it is skipped is printed with the results
SKIPPED_pgcopydb=""
SKIPPED_mydumper=""
optional_tool() {  # command, Debian package, name of the SKIPPED_ variable
  command -v "$1" >/dev/null && return 0
  if can_install; then
    say "installing Debian package $2 for a baseline"
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >"/tmp/ferry-bench-apt-$2.log" 2>&1 \
        && command -v "$1" >/dev/null; then
      rm -f "/tmp/ferry-bench-apt-$2.log"
      return 0
    fi
    printf -v "SKIPPED_$3" '%s' "apt-get install $2 failed: $(tail -n 1 "/tmp/ferry-bench-apt-$2.log")"
    rm -f "/tmp/ferry-bench-apt-$2.log"
  else
    printf -v "SKIPPED_$3" '%s' "$1 is not installed and this is not root on Debian (apt-get install $2)"
  fi
  local reason="SKIPPED_$3"
  say "baseline $1 skipped: ${!reason}"
}
if ! command -v java >/dev/null || ! command -v mvn >/dev/null || ! command -v pg_dump >/dev/null; then
  "$FERRY_HOME/scripts/install-prerequisites.sh" >&2
fi
[[ -x /usr/bin/time ]] || install_debian time
command -v zstd >/dev/null || install_debian zstd
if ((WANT_PG)); then
  command -v aws >/dev/null || install_debian awscli
  optional_tool pgcopydb pgcopydb pgcopydb
fi
if ((WANT_PGBR)); then
  command -v pgbackrest >/dev/null || install_debian pgbackrest
fi
if ((WANT_MY)); then
  command -v mariadb-dump >/dev/null || install_debian mariadb-client
  optional_tool mydumper mydumper mydumper
  command -v myloader >/dev/null || SKIPPED_mydumper="${SKIPPED_mydumper:-myloader is missing beside mydumper}"
fi

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
  # a restored pgBackRest server runs on its own, outside the environment's servers
  declare -F stop_restored >/dev/null && stop_restored
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

# ---- build once, so that ./ferry does not rebuild inside the measured runs ----------------------
say "building Ferry"
(cd "$FERRY_HOME" && mvn -q -B -ntp -o -DskipTests package) >&2

# ---- servers ---------------------------------------------------------------------------------
mkdir -p "$WORK/env" "$WORK/files"
mkfifo "$WORK/control"
say "starting the servers ($ENGINE) and loading about ${SIZE_MB} MB of sample data per engine"
java -Xmx512m -Dferry.home="$FERRY_HOME" -cp "$FERRY_HOME/target/ferry.jar" dev.ferry.bench.BenchmarkEnvironment \
  --size-mb "$SIZE_MB" --engine "$ENGINE" --out "$WORK/env" <"$WORK/control" >"$WORK/environment.log" 2>&1 &
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

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
mb() { awk -v b="$1" 'BEGIN { m = b / 1048576; printf (m < 10 ? "%.1f" : "%.0f"), m }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
max_of() { printf '%s\n' "$@" | sort -g | tail -n 1; }
# a plain S3 client: the aws CLI with the local server's keys in a 0600 credentials file (never on a
# command line, and not in the environment Ferry inherits), sending checksums only when required
(umask 077; printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$S3_ACCESS_KEY" "$(cat "$S3_SECRET_FILE")" \
  >"$WORK/aws-credentials")
S3_CLI=(env AWS_SHARED_CREDENTIALS_FILE="$WORK/aws-credentials" AWS_CONFIG_FILE=/dev/null AWS_DEFAULT_REGION=us-east-1
  AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required
  aws --endpoint-url "$S3_ENDPOINT" --only-show-errors s3)
aws_s3() { "${S3_CLI[@]}" "$@"; }

# ---- measuring ---------------------------------------------------------------------------------
# One row per method: the seconds, peak RSS (MB) and machine CPU seconds of every run, and a note.
declare -A LABEL SECS RSS CPU NOTE STATUS
CLK_TCK=$(getconf CLK_TCK)
# busy CPU time of the whole machine (every process: the tools, Ferry and both servers) in ticks
cpu_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
cpu_since() {  # KEY, ticks at start: appends the CPU seconds spent since then to KEY's row
  CPU[$1]+="$(awk -v a="$2" -v b="$(cpu_ticks)" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", (b - a) / hz }') "
}
METHODS=()
FAILED=0
# timed KEY COMMAND...: runs COMMAND under /usr/bin/time; appends the wall seconds and the largest
# process's maximum RSS (of COMMAND's whole tree) to KEY's row. Returns COMMAND's status.
timed() {
  local key=$1 t0 t1 c0 rc=0
  shift
  c0=$(cpu_ticks)
  t0=$(now)
  /usr/bin/time -f '%M' -o "$WORK/time.out" "$@" || rc=$?
  t1=$(now)
  cpu_since "$key" "$c0"
  SECS[$key]+="$(seconds "$t0" "$t1") "
  RSS[$key]+="$(awk 'END { printf "%.0f", $1 / 1024 }' "$WORK/time.out") "
  return $rc
}
method() {  # KEY, label: registers a row
  METHODS+=("$1"); LABEL[$1]="$2"; STATUS[$1]=passed
}
failed_run() {  # KEY, message
  say "$1 FAILED: $2"
  STATUS[$1]="FAILED: $2"
  FAILED=1
}

# Ferry's run: the wall time, and the JVM's VmHWM sampled from /proc (the launcher execs java, so
# it is the direct child of /usr/bin/time); pg_dump, pg_restore, mariadb-dump and such are not counted.
sample_hwm() {
  local pid="" value
  for _ in $(seq 1 200); do pid="$(pgrep -P "$1" | head -n 1)" && [[ -n "$pid" ]] && break; sleep 0.05; done
  [[ -n "$pid" ]] || return 0
  while value="$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)" && [[ -n "$value" ]]; do
    echo "$value" >"$WORK/ferry.hwm.kb"
    sleep 0.2
  done
}
run_ferry() {  # KEY, migration file, S3 prefix, settings (--set K=V)...; leaves the report in $WORK/ferry-report.json
  local key=$1 t0 t1 c0 rc=0
  rm -rf "$WORK/state" "$WORK/ferry-report.json" "$WORK/ferry.hwm.kb"
  mkdir -p "$WORK/state"
  c0=$(cpu_ticks)
  t0=$(now)
  local sets=() pair
  for pair in ${FERRY_BENCH_SET:-}; do sets+=(--set "$pair"); done
  setsid /usr/bin/time -v -o "$WORK/ferry.time" "$FERRY_HOME/ferry" run "$2" "${sets[@]}" "${@:4}" \
    --state-dir "$WORK/state" --report "$WORK/ferry-report.json" >"$WORK/ferry.log" 2>&1 &
  FERRY_PID=$!
  sample_hwm "$FERRY_PID" &
  SAMPLER_PID=$!
  wait "$FERRY_PID" || rc=$?
  t1=$(now)
  wait "$SAMPLER_PID" 2>/dev/null || true
  FERRY_PID=""
  SAMPLER_PID=""
  cpu_since "$key" "$c0"
  if [[ -n "${FERRY_BENCH_REPORTS:-}" ]]; then   # keep each run's report for a look at where the time went
    mkdir -p "$FERRY_BENCH_REPORTS"
    cp "$WORK/ferry-report.json" "$FERRY_BENCH_REPORTS/$key-$(date +%H%M%S).json" 2>/dev/null || true
  fi
  SECS[$key]+="$(seconds "$t0" "$t1") "
  RSS[$key]+="$(awk '{ printf "%.0f", $1 / 1024 }' "$WORK/ferry.hwm.kb" 2>/dev/null || echo 0) "
  aws_s3 rm --recursive "s3://$S3_BUCKET/$3/" >/dev/null 2>&1 || true   # the next run starts from an empty prefix
  if ((rc != 0)); then
    say "Ferry's run FAILED (exit $rc); its output ends with:"
    tail -n 40 "$WORK/ferry.log" >&2
  fi
  return $rc
}
ferry_steps() {  # the steps' seconds of the last run, from its report
  command -v jq >/dev/null && [[ -s "$WORK/ferry-report.json" ]] || return 0
  jq -r '[.steps[]? | select(.durationMs > 0) | "\(.id) \((.durationMs / 100 | round) / 10)"] | join(", ")' \
    "$WORK/ferry-report.json" 2>/dev/null || true
}

# Ferry's launcher maps a class-data-sharing archive that it builds after the first successful run
# (see ./ferry); one unmeasured run first, so the measured runs start as every run after a user's first
cds_archive_ready() {  # one built for this jar: the launcher names it by the jar, so it is newer than the jar
  [[ -n "$(find "$FERRY_HOME/target/cds" -maxdepth 1 -name '*.jsa' -newer "$FERRY_HOME/target/ferry.jar" 2>/dev/null)" ]]
}
warm_up_ferry() {  # migration file, S3 prefix
  cds_archive_ready && return 0
  say "warming up: one unmeasured Ferry run, then the launcher builds its class-data-sharing archive"
  run_ferry WARM "$1" "$2" || failed_run WARM "the unmeasured warm-up run of Ferry exited non-zero"
  "$FERRY_HOME/ferry" --version >/dev/null
  for _ in $(seq 1 240); do
    cds_archive_ready && return 0
    sleep 0.5
  done
  say "warning: no class-data-sharing archive after 2 minutes; Ferry's runs start without it"
}

# other work on the machine skews the seconds: say how busy it was
LOAD_START="$(cut -d' ' -f1 /proc/loadavg)"
if awk -v l="$LOAD_START" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
  say "warning: load average $LOAD_START on $(nproc) cores before measuring; the timings will be skewed"
fi

# ==== the PostgreSQL source, which the logical and the physical rows share =======================
if ((WANT_PG || WANT_PGBR)); then
  SOURCE_PASSWORD="$(cat "$SOURCE_PASSWORD_FILE")"
  src() { PGPASSWORD="$SOURCE_PASSWORD" "$@" --host="$SOURCE_HOST" --port="$SOURCE_PORT" --username="$SOURCE_USER" --no-password; }
  src_sql() { src psql --quiet --no-psqlrc --tuples-only --no-align -v ON_ERROR_STOP=1 --dbname="$SOURCE_DB" -c "$1"; }
  PG_EXPECTED="$(src_sql "SELECT count(*) || '/' || sum(quantity) FROM order_items")"
  same_order_items() {  # KEY, what was restored, FUNCTION (SQL, database) to query it, database: order_items match the source's
    local got
    got="$("$3" "SELECT count(*) || '/' || sum(quantity) FROM order_items" "$4" 2>&1 | tail -n 1)" || true
    [[ "$got" == "$PG_EXPECTED" ]] || failed_run "$1" "$2 differs from the source: order_items $got, expected $PG_EXPECTED"
  }
fi

# ==== PostgreSQL ================================================================================
if ((WANT_PG)); then
  TARGET_PASSWORD="$(cat "$TARGET_PASSWORD_FILE")"
  # pgcopydb takes URIs; the passwords go in a 0600 passfile, never on its command line
  (umask 077; printf '%s:%s:*:%s:%s\n' "$SOURCE_HOST" "$SOURCE_PORT" "$SOURCE_USER" "$SOURCE_PASSWORD" \
    "$TARGET_HOST" "$TARGET_PORT" "$TARGET_USER" "$TARGET_PASSWORD" >"$WORK/pgpass")
  tgt() { PGPASSWORD="$TARGET_PASSWORD" "$@" --host="$TARGET_HOST" --port="$TARGET_PORT" --username="$TARGET_USER" --no-password; }
  tgt_sql() { tgt psql --quiet --no-psqlrc --tuples-only --no-align -v ON_ERROR_STOP=1 --dbname="${2:-postgres}" -c "$1"; }
  pg_check() {   # KEY, database on the target: same order_items count and quantity sum as the source
    same_order_items "$1" "restored $2" tgt_sql "$2"
  }
  PG_RESTORE_FLAGS=(--no-owner --no-privileges --exit-on-error)
  export PGPASSFILE="$WORK/pgpass"
  pg_uri() { echo "postgres://$1@$2:$3/$4"; }

  method A "A  pg_dump -Fc | pg_restore (direct pipe)"
  NOTE[A]="no S3, no checks"
  method B "B  stage by stage: dump file, aws s3 cp up/down, pg_restore"
  method C "C  pgcopydb clone"
  method F "F  ferry run postgres-logical"
  method FP "FP ferry plan postgres-logical (connects to nothing)"
  warm_up_ferry "$MIGRATION_FILE" ferry
  tgt_sql "DROP DATABASE IF EXISTS $FERRY_TARGET_DB"
  for run in $(seq 1 "$RUNS"); do
    say "PostgreSQL run $run of $RUNS"

    say "A: pg_dump -Fc | pg_restore"
    tgt_sql "CREATE DATABASE bench_a_$run"
    timed A bash -c 'set -o pipefail; pg_dump --format=custom --dbname="$1" | pg_restore "${@:3}" --dbname="$2"' _ \
      "$(pg_uri "$SOURCE_USER" "$SOURCE_HOST" "$SOURCE_PORT" "$SOURCE_DB")" \
      "$(pg_uri "$TARGET_USER" "$TARGET_HOST" "$TARGET_PORT" "bench_a_$run")" "${PG_RESTORE_FLAGS[@]}" \
      || failed_run A "pg_dump | pg_restore exited non-zero"
    pg_check A "bench_a_$run"
    tgt_sql "DROP DATABASE bench_a_$run"

    say "B: pg_dump -Fc to a file, aws s3 cp up, aws s3 cp down, pg_restore"
    tgt_sql "CREATE DATABASE bench_b_$run"
    b0=$(now); bc0=$(cpu_ticks)
    timed B_dump pg_dump --format=custom --dbname="$(pg_uri "$SOURCE_USER" "$SOURCE_HOST" "$SOURCE_PORT" "$SOURCE_DB")" \
      --file="$WORK/files/shop.dump" || failed_run B "pg_dump exited non-zero"
    timed B_up "${S3_CLI[@]}" cp "$WORK/files/shop.dump" "s3://$S3_BUCKET/by-hand/shop.dump" || failed_run B "aws s3 cp up failed"
    timed B_down "${S3_CLI[@]}" cp "s3://$S3_BUCKET/by-hand/shop.dump" "$WORK/files/shop.downloaded.dump" \
      || failed_run B "aws s3 cp down failed"
    timed B_restore pg_restore "${PG_RESTORE_FLAGS[@]}" \
      --dbname="$(pg_uri "$TARGET_USER" "$TARGET_HOST" "$TARGET_PORT" "bench_b_$run")" "$WORK/files/shop.downloaded.dump" \
      || failed_run B "pg_restore exited non-zero"
    SECS[B]+="$(seconds "$b0" "$(now)") "
    cpu_since B "$bc0"
    RSS[B]+="$(max_of ${RSS[B_dump]} ${RSS[B_up]} ${RSS[B_down]} ${RSS[B_restore]}) "
    B_DUMP_BYTES=$(stat -c %s "$WORK/files/shop.dump" 2>/dev/null || echo 0)
    pg_check B "bench_b_$run"
    tgt_sql "DROP DATABASE bench_b_$run"
    rm -f "$WORK/files/"*.dump
    aws_s3 rm "s3://$S3_BUCKET/by-hand/shop.dump"

    if [[ -z "$SKIPPED_pgcopydb" ]]; then
      say "C: pgcopydb clone"
      tgt_sql "CREATE DATABASE bench_c_$run"
      rm -rf "$WORK/pgcopydb"
      timed C pgcopydb clone --dir "$WORK/pgcopydb" --no-owner --no-acl \
        --table-jobs "$(nproc)" --index-jobs "$(nproc)" \
        --source "$(pg_uri "$SOURCE_USER" "$SOURCE_HOST" "$SOURCE_PORT" "$SOURCE_DB")" \
        --target "$(pg_uri "$TARGET_USER" "$TARGET_HOST" "$TARGET_PORT" "bench_c_$run")" >"$WORK/pgcopydb.log" 2>&1 \
        || { tail -n 20 "$WORK/pgcopydb.log" >&2; failed_run C "pgcopydb clone exited non-zero"; }
      pg_check C "bench_c_$run"
      tgt_sql "DROP DATABASE bench_c_$run"
      rm -rf "$WORK/pgcopydb"
    fi

    say "FP: ./ferry plan (postgres-logical)"
    timed FP "$FERRY_HOME/ferry" plan "$MIGRATION_FILE" >/dev/null || failed_run FP "ferry plan exited non-zero"

    say "F: ./ferry run (postgres-logical)"
    run_ferry F "$MIGRATION_FILE" ferry || failed_run F "ferry run exited non-zero"
    pg_check F "$FERRY_TARGET_DB"
    PG_STEPS="$(ferry_steps)"
    tgt_sql "DROP DATABASE IF EXISTS $FERRY_TARGET_DB"
  done
  NOTE[B]="medians: dump $(median ${SECS[B_dump]}) + up $(median ${SECS[B_up]}) + down $(median ${SECS[B_down]}) + restore $(median ${SECS[B_restore]}) s; $(mb "$B_DUMP_BYTES") MB gzip"
  NOTE[C]="$(nproc) table jobs, $(nproc) index jobs; no S3 copy, no checks"
  [[ -n "$SKIPPED_pgcopydb" ]] && NOTE[C]="skipped: $SKIPPED_pgcopydb"
  NOTE[F]="last run's steps s: ${PG_STEPS:-?}"
fi

# ==== pgBackRest ==================================================================================
if ((WANT_PGBR)); then
  # pgBackRest reads the source's data directory, so it runs as the user owning it (runuser when this
  # is root), as Ferry's steps run it. The source's password reaches it in PGPASSWORD, the S3 keys in
  # the 0600 configuration; never a command line.
  AS_PG=()
  if [[ -n "$PGBR_OS_USER" ]]; then AS_PG=(runuser -u "$PGBR_OS_USER" --); fi
  PGBR_VERSION="$(pgbackrest version | awk '{ print $2 }')"
  PGBR_CLUSTER_BYTES="$(src_sql "SELECT sum(pg_database_size(datname)) FROM pg_database")"
  SOURCE_DATA_DIR="$(src_sql "SHOW data_directory")"
  SOURCE_SOCKET_DIR="$(src_sql "SHOW unix_socket_directories" | cut -d, -f1)"
  PGBR_BY_HAND_PREFIX=by-hand-physical
  PGBR_ETC="$(dirname "$PGBR_CONFIG")"
  PGBR_RESTORE_CONFIG="$PGBR_ETC/by-hand-restore.conf"
  PGBR_CA_COPY="$PGBR_ETC/by-hand-ca.pem"
  # Once, unmeasured, what an operator has in place before a first backup: the CA file where the
  # pgBackRest user can read it, pgBackRest's log and lock folders, and the source archiving WAL to
  # pgBackRest. The environment started the source with archive_mode on (that takes a restart) and
  # archive_command 'true'; now it becomes one command for both methods, with one configuration
  # file: each method writes its own repository path into that file before its run, and Ferry's
  # setup step finds the archive settings ready (the migration leaves pgbackrest.configureArchiving
  # false), so neither method pays for them.
  mkdir -p "$PGBR_ETC" "$PGBR_LOG_PATH" "$PGBR_LOCK_PATH"
  install -m 0644 "$PGBR_CA_FILE" "$PGBR_CA_COPY"
  if [[ -n "$PGBR_OS_USER" ]]; then chown "$PGBR_OS_USER:" "$PGBR_LOG_PATH" "$PGBR_LOCK_PATH"; fi
  PGBR_ARCHIVE_COMMAND="pgbackrest --config=$PGBR_CONFIG --stanza=db archive-push %p"
  src_sql "ALTER SYSTEM SET archive_command = '$PGBR_ARCHIVE_COMMAND'" >/dev/null
  src_sql "SELECT pg_reload_conf()" >/dev/null
  for _ in $(seq 1 100); do
    [[ "$(src_sql "SHOW archive_command")" == "$PGBR_ARCHIVE_COMMAND" ]] && break
    sleep 0.1
  done

  # by_hand_config FILE REPO-PATH PG1-PATH PG1-PORT PG1-SOCKET-PATH [PG1-USER]: the configuration an
  # operator writes, with the options and values Ferry renders from pgbackrest/pgbackrest.conf.template,
  # so both methods do the same work: the repository in the same bucket over HTTPS (path style, region
  # us-east-1, the CA file), process-max and compress-type as the migration file sets them for Ferry
  # (Ferry's defaults, 2 and zst), start-fast=y, the same log levels. 0600, owned by the pgBackRest
  # user, moved into place whole.
  by_hand_config() {
    local partial="$PGBR_ETC/.by-hand.conf.partial"
    (umask 077; {
      printf '[global]\nrepo1-type=s3\nrepo1-path=/%s\nrepo1-s3-bucket=%s\nrepo1-s3-endpoint=%s\nrepo1-storage-port=%s\n' \
        "$2" "$S3_BUCKET" "$PGBR_S3_HOST" "$PGBR_S3_PORT"
      printf 'repo1-s3-region=us-east-1\nrepo1-s3-uri-style=path\nrepo1-s3-key=%s\nrepo1-s3-key-secret=%s\n' \
        "$S3_ACCESS_KEY" "$(<"$S3_SECRET_FILE")"
      printf 'repo1-storage-ca-file=%s\nprocess-max=%s\ncompress-type=%s\nstart-fast=y\n' \
        "$PGBR_CA_COPY" "$PGBR_PROCESS_MAX" "$PGBR_COMPRESS_TYPE"
      printf 'log-path=%s\nlock-path=%s\nlog-level-console=warn\nlog-level-file=info\n\n' "$PGBR_LOG_PATH" "$PGBR_LOCK_PATH"
      printf '[db]\npg1-path=%s\npg1-port=%s\npg1-socket-path=%s\n' "$3" "$4" "$5"
      if [[ -n "${6:-}" ]]; then printf 'pg1-user=%s\n' "$6"; fi
    } >"$partial")
    if [[ -n "$PGBR_OS_USER" ]]; then chown "$PGBR_OS_USER:" "$partial"; fi
    mv -f "$partial" "$1"
  }
  PGBR_BACKUP=("${AS_PG[@]}" pgbackrest --config="$PGBR_CONFIG" --stanza=db)
  PGBR_RESTORE=("${AS_PG[@]}" pgbackrest --config="$PGBR_RESTORE_CONFIG" --stanza=db)
  # after a physical restore the cluster's roles and passwords are the source's
  restored_sql() {
    PGPASSWORD="$SOURCE_PASSWORD" psql --host=127.0.0.1 --port="$PGBR_RESTORE_PORT" --username="$SOURCE_USER" --no-password \
      --quiet --no-psqlrc --tuples-only --no-align -v ON_ERROR_STOP=1 --dbname="${2:-postgres}" -c "$1"
  }
  # as Ferry's restore step starts it: on the target port, socket in the data directory, archiving off
  # (the copy must not push WAL into the source's repository); then wait until recovery has ended
  start_restored() {
    "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGBR_RESTORE_DIR" -l "$PGBR_RESTORE_DIR/by-hand-start.log" -w -t 600 \
      -o "-p $PGBR_RESTORE_PORT -k $PGBR_RESTORE_DIR -c listen_addresses=127.0.0.1 -c archive_mode=off" start \
      >"$WORK/pg_ctl.log" 2>&1 || { cat "$WORK/pg_ctl.log" >&2; return 1; }
    local deadline=$((SECONDS + 600))
    while ((SECONDS < deadline)); do
      [[ "$(restored_sql "SELECT pg_is_in_recovery()" 2>/dev/null)" == f ]] && return 0
      sleep 0.3
    done
    return 1
  }
  stop_restored() {  # also from cleanup: the restored server runs outside the environment's servers
    if [[ -f "$PGBR_RESTORE_DIR/postmaster.pid" ]]; then
      "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGBR_RESTORE_DIR" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGBR_RESTORE_DIR"
  }
  pgbr_check() {  # KEY: the restored cluster's shop has the source's order_items count and quantity sum
    same_order_items "$1" "the restored cluster's $SOURCE_DB" restored_sql "$SOURCE_DB"
  }

  method PH "PH pgBackRest by hand: backup, restore, start"
  method PF "PF ferry run postgres-physical"
  stop_restored
  warm_up_ferry "$PGBR_MIGRATION_FILE" "$PGBR_FERRY_PREFIX"
  stop_restored
  for run in $(seq 1 "$RUNS"); do
    say "pgBackRest run $run of $RUNS"

    say "PH: pgbackrest stanza-create, check, backup, restore, then start the server, by hand"
    p0=$(now); pc0=$(cpu_ticks)
    by_hand_config "$PGBR_CONFIG" "$PGBR_BY_HAND_PREFIX" "$SOURCE_DATA_DIR" "$SOURCE_PORT" "$SOURCE_SOCKET_DIR" "$SOURCE_USER"
    # check as the user guide and Ferry's setup step do: one WAL segment reaches the repository
    PGPASSWORD="$SOURCE_PASSWORD" timed PH_setup bash -c '"$@" stanza-create && "$@" check' _ "${PGBR_BACKUP[@]}" \
      || failed_run PH "pgbackrest stanza-create or check exited non-zero"
    PGPASSWORD="$SOURCE_PASSWORD" timed PH_backup "${PGBR_BACKUP[@]}" backup --type=full \
      || failed_run PH "pgbackrest backup exited non-zero"
    by_hand_config "$PGBR_RESTORE_CONFIG" "$PGBR_BY_HAND_PREFIX" "$PGBR_RESTORE_DIR" "$PGBR_RESTORE_PORT" "$PGBR_RESTORE_DIR"
    mkdir -m 700 "$PGBR_RESTORE_DIR"
    if [[ -n "$PGBR_OS_USER" ]]; then chown "$PGBR_OS_USER:" "$PGBR_RESTORE_DIR"; fi
    # the newest backup is the one just made, so no --set; to its end and promoted, as Ferry restores
    timed PH_restore "${PGBR_RESTORE[@]}" restore --type=immediate --target-action=promote \
      || failed_run PH "pgbackrest restore exited non-zero"
    s0=$(now)
    start_restored || failed_run PH "the restored server did not start or did not leave recovery"
    t1=$(now)
    SECS[PH_start]+="$(seconds "$s0" "$t1") "
    SECS[PH]+="$(seconds "$p0" "$t1") "
    cpu_since PH "$pc0"
    RSS[PH]+="$(max_of ${RSS[PH_setup]} ${RSS[PH_backup]} ${RSS[PH_restore]}) "
    pgbr_check PH
    stop_restored
    aws_s3 rm --recursive "s3://$S3_BUCKET/$PGBR_BY_HAND_PREFIX/" >/dev/null 2>&1 || true   # a fresh repository next run

    say "PF: ./ferry run (postgres-physical)"
    run_ferry PF "$PGBR_MIGRATION_FILE" "$PGBR_FERRY_PREFIX" || failed_run PF "ferry run exited non-zero"
    pgbr_check PF
    PGBR_STEPS="$(ferry_steps)"
    stop_restored
  done
  NOTE[PH]="medians: stanza-create + check $(median ${SECS[PH_setup]}) + backup $(median ${SECS[PH_backup]}) + restore $(median ${SECS[PH_restore]}) + start $(median ${SECS[PH_start]}) s"
  NOTE[PF]="last run's steps s: ${PGBR_STEPS:-?}"
fi

# ==== MySQL/MariaDB ==============================================================================
if ((WANT_MY)); then
  # the tools read the password from a 0600 option file, never from their command line
  my_options() {  # file, host, port, user, password file
    (umask 077; printf '[client]\nhost=%s\nport=%s\nuser=%s\npassword=%s\n' "$2" "$3" "$4" "$(cat "$5")" >"$1")
  }
  my_options "$WORK/my-source.cnf" "$MY_SOURCE_HOST" "$MY_SOURCE_PORT" "$MY_SOURCE_USER" "$MY_SOURCE_PASSWORD_FILE"
  my_options "$WORK/my-target.cnf" "$MY_TARGET_HOST" "$MY_TARGET_PORT" "$MY_TARGET_USER" "$MY_TARGET_PASSWORD_FILE"
  # mydumper and myloader read the [mydumper] and [myloader] groups
  sed 's/^\[client\]/[mydumper]/' "$WORK/my-source.cnf" >"$WORK/mydumper.cnf"
  sed 's/^\[client\]/[myloader]/' "$WORK/my-target.cnf" >"$WORK/myloader.cnf"
  chmod 600 "$WORK/mydumper.cnf" "$WORK/myloader.cnf"
  my_src_sql() { mariadb --defaults-extra-file="$WORK/my-source.cnf" --batch --skip-column-names "$MY_SOURCE_DB" -e "$1"; }
  my_tgt_sql() { mariadb --defaults-extra-file="$WORK/my-target.cnf" --batch --skip-column-names ${2:+"$2"} -e "$1"; }
  MY_EXPECTED="$(my_src_sql "SELECT concat(count(*), '/', sum(quantity)) FROM order_items")"
  my_check() {  # KEY, database on the target
    local got
    got="$(my_tgt_sql "SELECT concat(count(*), '/', sum(quantity)) FROM order_items" "$2" 2>&1 | tail -n 1)" || true
    [[ "$got" == "$MY_EXPECTED" ]] || failed_run "$1" "restored $2 differs from the source: order_items $got, expected $MY_EXPECTED"
  }
  MY_DUMP_FLAGS=(--single-transaction --routines --triggers --events)

  method MA "MA mariadb-dump | mariadb (direct pipe)"
  NOTE[MA]="no S3, no checks"
  method MB "MB mydumper, then myloader"
  method MF "MF ferry run mysql-logical"
  if ((MYSQL_JOBS > 1)); then method MJ "MJ ferry run mysql-logical, import.jobs $MYSQL_JOBS"; fi
  warm_up_ferry "$MY_MIGRATION_FILE" ferry-mysql
  my_tgt_sql "DROP DATABASE IF EXISTS $MY_FERRY_TARGET_DB"
  for run in $(seq 1 "$RUNS"); do
    say "MySQL/MariaDB run $run of $RUNS"

    say "MA: mariadb-dump | mariadb"
    my_tgt_sql "CREATE DATABASE bench_ma_$run CHARACTER SET utf8mb4"
    timed MA bash -c 'set -o pipefail; mariadb-dump --defaults-extra-file="$1" "${@:5}" "$3" | mariadb --defaults-extra-file="$2" "$4"' _ \
      "$WORK/my-source.cnf" "$WORK/my-target.cnf" "$MY_SOURCE_DB" "bench_ma_$run" "${MY_DUMP_FLAGS[@]}" \
      || failed_run MA "mariadb-dump | mariadb exited non-zero"
    my_check MA "bench_ma_$run"
    my_tgt_sql "DROP DATABASE bench_ma_$run"

    if [[ -z "$SKIPPED_mydumper" ]]; then
      say "MB: mydumper, then myloader"
      rm -rf "$WORK/mydumper"
      m0=$(now); mc0=$(cpu_ticks)
      timed MB_dump mydumper --defaults-file="$WORK/mydumper.cnf" --database="$MY_SOURCE_DB" --outputdir="$WORK/mydumper" \
        --threads="$(nproc)" --triggers --events --routines >"$WORK/mydumper.log" 2>&1 \
        || { tail -n 20 "$WORK/mydumper.log" >&2; failed_run MB "mydumper exited non-zero"; }
      timed MB_load myloader --defaults-file="$WORK/myloader.cnf" --directory="$WORK/mydumper" \
        --database="bench_mb_$run" --threads="$(nproc)" >"$WORK/myloader.log" 2>&1 \
        || { tail -n 20 "$WORK/myloader.log" >&2; failed_run MB "myloader exited non-zero"; }
      SECS[MB]+="$(seconds "$m0" "$(now)") "
      cpu_since MB "$mc0"
      RSS[MB]+="$(max_of ${RSS[MB_dump]} ${RSS[MB_load]}) "
      my_check MB "bench_mb_$run"
      my_tgt_sql "DROP DATABASE IF EXISTS bench_mb_$run"
      rm -rf "$WORK/mydumper"
    fi

    say "MF: ./ferry run (mysql-logical)"
    run_ferry MF "$MY_MIGRATION_FILE" ferry-mysql || failed_run MF "ferry run exited non-zero"
    my_check MF "$MY_FERRY_TARGET_DB"
    MY_STEPS="$(ferry_steps)"
    my_tgt_sql "DROP DATABASE IF EXISTS $MY_FERRY_TARGET_DB"

    if ((MYSQL_JOBS > 1)); then
      say "MJ: ./ferry run (mysql-logical) --set import.jobs=$MYSQL_JOBS"
      run_ferry MJ "$MY_MIGRATION_FILE" ferry-mysql --set "import.jobs=$MYSQL_JOBS" || failed_run MJ "ferry run exited non-zero"
      my_check MJ "$MY_FERRY_TARGET_DB"
      MJ_STEPS="$(ferry_steps)"
      my_tgt_sql "DROP DATABASE IF EXISTS $MY_FERRY_TARGET_DB"
    fi
  done
  NOTE[MB]="medians: mydumper $(median ${SECS[MB_dump]:-0}) + myloader $(median ${SECS[MB_load]:-0}) s; $(nproc) threads each"
  [[ -n "$SKIPPED_mydumper" ]] && NOTE[MB]="skipped: $SKIPPED_mydumper"
  NOTE[MF]="last run's steps s: ${MY_STEPS:-?}"
  NOTE[MJ]="last run's steps s: ${MJ_STEPS:-?}"
fi

# ---- compression choices (PostgreSQL dump only, to /dev/null, bytes counted) ----------------------
C_METHOD=(); C_SECONDS=(); C_BYTES=()
if ((COMPRESSION && WANT_PG)); then
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
declare -A MED PEAK CPUMED
for key in "${METHODS[@]}"; do
  if [[ -n "${SECS[$key]:-}" ]]; then
    MED[$key]="$(median ${SECS[$key]})"
    PEAK[$key]="$(max_of ${RSS[$key]})"
    CPUMED[$key]="$(median ${CPU[$key]:-0})"
  fi
done
# target KEY_FERRY KEY_BASELINE LIMIT WHAT: one line with the ratio of the medians, the target and PASS/MISS
target() {
  local label="$1 ÷ $2"
  if [[ -z "${MED[$1]:-}" || -z "${MED[$2]:-}" ]]; then
    printf '  %-8s %-48s %8s  target <= %-4s  not measured: %s\n' "$label" "$4" "-" "$3" "${NOTE[$2]:-}"
    return
  fi
  awk -v f="${MED[$1]}" -v b="${MED[$2]}" -v lim="$3" -v label="$label" -v what="$4" \
    -v failed="$([[ ${STATUS[$1]} == passed && ${STATUS[$2]} == passed ]] || echo 1)" 'BEGIN {
      r = (b > 0) ? f / b : 0
      verdict = failed ? "MISS (a run failed)" : (r <= lim ? "PASS" : "MISS")
      printf "  %-8s %-48s %8.2f  target <= %-4s  %s\n", label, what, r, lim, verdict }'
}
LOAD_END="$(cut -d' ' -f1 /proc/loadavg)"
{
  echo
  echo "Ferry benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, $RUNS run(s) per method, medians"
  if ((WANT_PG || WANT_PGBR)); then
    echo "PostgreSQL $BENCH_PG_MAJOR: database $SOURCE_DB = $((BENCH_DB_BYTES / 1048576)) MB (pg_database_size), scale $BENCH_SCALE, $BENCH_ROWS rows"
  fi
  if ((WANT_PGBR)); then
    echo "pgBackRest $PGBR_VERSION: the whole source cluster, $((PGBR_CLUSTER_BYTES / 1048576)) MB (every database), into the same s3proxy over HTTPS; process-max $PGBR_PROCESS_MAX, compress-type $PGBR_COMPRESS_TYPE for both"
  fi
  if ((WANT_MY)); then
    echo "$MY_VERSION: database $MY_SOURCE_DB = $((MY_DB_BYTES / 1048576)) MB (InnoDB data + index length), scale $MY_SCALE, $((MY_SCALE * 5220)) rows"
  fi
  echo "Ferry JVM options: ${FERRY_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}"
  echo "load average (1 min) before / after measuring: $LOAD_START / $LOAD_END"
  echo
  printf '%-62s %8s %-22s %9s %6s  %s\n' "method" "median s" "runs s" "peak RSS" "CPU s" "notes"
  for key in "${METHODS[@]}"; do
    note="${NOTE[$key]:-}"
    [[ "${STATUS[$key]}" == passed ]] || note="${STATUS[$key]}; $note"
    printf '%-62s %8s %-22s %9s %6s  %s\n' "${LABEL[$key]}" "${MED[$key]:--}" "${SECS[$key]:--}" \
      "$([[ -n "${PEAK[$key]:-}" ]] && echo "${PEAK[$key]} MB" || echo -)" "${CPUMED[$key]:--}" "$note"
  done
  echo "(CPU s: busy CPU seconds of the whole machine during the method, both servers included; median)"
  echo
  echo "Targets (issue 12, item 6), ratios of the medians:"
  if ((WANT_PG)); then
    target F A 1.0 "Ferry PostgreSQL ÷ direct pipe"
    target F B 0.7 "Ferry PostgreSQL ÷ stage by stage through S3"
    target F C 1.1 "Ferry PostgreSQL ÷ pgcopydb clone"
  fi
  if ((WANT_PGBR)); then target PF PH 1.05 "Ferry pgBackRest ÷ by hand"; fi
  if ((WANT_MY)); then target MF MA 1.0 "Ferry MySQL/MariaDB ÷ its direct pipe"; fi
  if ((WANT_MY && MYSQL_JOBS > 1)); then target MJ MA 1.0 "Ferry MySQL/MariaDB, import.jobs $MYSQL_JOBS ÷ pipe"; fi
  if [[ -n "${MED[FP]:-}" ]]; then
    printf '  %-8s %-48s %8s  target <= %-4s  %s\n' "FP" "ferry plan, wall time" "${MED[FP]} s" "2 s" \
      "$(awk -v m="${MED[FP]}" -v ok="${STATUS[FP]}" 'BEGIN { print (ok == "passed" && m <= 2) ? "PASS" : "MISS" }')"
  fi
  for key in F PF MF MJ; do
    [[ -n "${PEAK[$key]:-}" ]] || continue
    printf '  %-8s %-48s %8s  target <= %-4s  %s\n' "$key RSS" "peak RSS of Ferry's JVM, largest run" "${PEAK[$key]} MB" \
      "$RSS_LIMIT_MB" "$( ((PEAK[$key] <= RSS_LIMIT_MB)) && echo PASS || echo MISS)"
  done
  echo "  (the RSS target is for a 5 GB database; smaller runs show the shape only)"
  if ((${#C_METHOD[@]})); then
    echo
    printf '%-62s %8s %10s\n' "dump compression (dump only, output counted, one run)" "seconds" "size"
    for i in "${!C_METHOD[@]}"; do
      printf '%-62s %8s %10s\n' "${C_METHOD[$i]}" "${C_SECONDS[$i]}" "$(mb "${C_BYTES[$i]}") MB"
    done
  fi
  echo
} | tee "$FERRY_HOME/target/benchmark-${SIZE_MB}mb.txt"

exit "$FAILED"
