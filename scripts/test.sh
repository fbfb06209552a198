#!/usr/bin/env bash
# Runs every test of Jobs against a real, throwaway PostgreSQL cluster.
#
#   scripts/test.sh [extra dotnet test arguments]      e.g. scripts/test.sh --filter "FullyQualifiedName~Tasks"
#
# On a bare Debian 12 machine with only the .NET SDK it installs what is missing (root and apt needed),
# starts PostgreSQL as an unprivileged user on 127.0.0.1, runs `dotnet test Jobs.sln -c Release`, removes
# the cluster again and closes with one line: "N passed, M failed". Exit code 0 only when the run
# succeeded and no test failed.
#
# Environment (all optional):
#   JOBS_TEST_PG_PORT      port of the throwaway cluster                          (default 55432)
#   JOBS_TEST_PG_ROOT      where the cluster lives                                (default /tmp/jobs-test-pg-<port>)
#   JOBS_TEST_PG_OSUSER    OS user that runs the server       (default postgres as root, else the current user)
#   JOBS_TEST_PG_BIN       PostgreSQL bin directory             (default the newest /usr/lib/postgresql/*/bin)
#   JOBS_TEST_PG_DATABASE  database the tests use                                 (default jobs_test)
#   JOBS_TEST_RESULTS      directory for the trx files                            (default <repo>/TestResults)
#
# Exported to the tests:
#   JOBS_TEST_CONNECTION   Npgsql connection string (Host=127.0.0.1;Port=…;Username=postgres;Password=…;Database=…)
#   JOBS_TEST_PG_BIN, JOBS_TEST_PG_DATA, JOBS_TEST_PG_OSUSER, JOBS_TEST_PG_LOG
#     so a test can restart the server:
#     [runuser -u $JOBS_TEST_PG_OSUSER --] $JOBS_TEST_PG_BIN/pg_ctl restart -D $JOBS_TEST_PG_DATA -m fast -w -l $JOBS_TEST_PG_LOG
#     (runuser only when the tests run as root; all server settings live in the data directory.)
#   JOBS_TEST_RESULTS      the results directory (the browser test keeps its screenshots in screenshots/ there)
set -Eeuo pipefail

# Debian packages the tests need, one per line: "package [probe]". A package is installed only when it
# is missing; the optional probe (a command name or a path glob) counts as "already there" too, so a
# PostgreSQL installed some other way is never reinstalled.
APT_PACKAGES=(
  "postgresql         /usr/lib/postgresql/*/bin/initdb"
  "postgresql-client  psql"
  "tzdata             /usr/share/zoneinfo/Europe/Berlin"
  "python3-aiosmtpd   /usr/lib/python3/dist-packages/aiosmtpd/__init__.py"
  "chromium           /usr/bin/chromium"
)
# Node.js drives Chromium for the browser test; Debian's packages only when no node is installed at all.
if ! command -v node >/dev/null; then
  APT_PACKAGES+=("nodejs node" "npm npm")
fi
BROWSER_TEST_DIR=Jobs.Tests/Browser

REPO_ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$REPO_ROOT"

PG_PORT=${JOBS_TEST_PG_PORT:-55432}
PG_ROOT=${JOBS_TEST_PG_ROOT:-/tmp/jobs-test-pg-$PG_PORT}
PG_DATA=$PG_ROOT/data
PG_LOG=$PG_ROOT/server.log
PG_DATABASE=${JOBS_TEST_PG_DATABASE:-jobs_test}
if [ "$(id -u)" = 0 ]; then PG_OSUSER=${JOBS_TEST_PG_OSUSER:-postgres}; else PG_OSUSER=$(id -un); fi
RESULTS_DIR=${JOBS_TEST_RESULTS:-$REPO_ROOT/TestResults}
LOCK_FILE=/tmp/jobs-test-pg-$PG_PORT.lock

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Build servers outlive the run and would keep CI's output pipe open; this run does without them.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0

say() { echo "test.sh: $*" >&2; }
die() { say "error: $*"; exit 2; }

[[ $PG_PORT =~ ^[0-9]+$ ]] && [ "$PG_PORT" -ge 1024 ] && [ "$PG_PORT" -le 65535 ] \
  || die "JOBS_TEST_PG_PORT must be a port number from 1024 to 65535, was '$PG_PORT'."
[[ $PG_DATABASE =~ ^[a-z_][a-z0-9_]*$ ]] || die "JOBS_TEST_PG_DATABASE must be a plain lower-case identifier, was '$PG_DATABASE'."
[[ $PG_ROOT == /?*/?* ]] || die "JOBS_TEST_PG_ROOT must be an absolute path at least two levels deep, was '$PG_ROOT'."
command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH."

# --- packages ---------------------------------------------------------------------------------------

package_present() {
  local name=$1 probe=${2:-}
  if [ -n "$probe" ]; then
    if [[ $probe == /* ]]; then
      compgen -G "$probe" >/dev/null && return 0
    elif command -v "$probe" >/dev/null; then
      return 0
    fi
  fi
  [ "$(dpkg-query -W -f='${Status}' "$name" 2>/dev/null)" = "install ok installed" ]
}

install_missing_packages() {
  local line name probe missing=()
  for line in "${APT_PACKAGES[@]}"; do
    read -r name probe <<<"$line"
    package_present "$name" "$probe" || missing+=("$name")
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  [ "$(id -u)" = 0 ] || die "missing Debian packages (${missing[*]}); run as root or install them first."
  command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get to install them."
  say "installing ${missing[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  if [[ " ${missing[*]} " == *" postgresql"* ]]; then
    # The postgresql package would create and start a 'main' cluster on 5432; the tests bring their own.
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/50-jobs-tests.conf
  fi

  local log attempt
  log=$(mktemp /tmp/jobs-test-apt.XXXXXX)
  for attempt in 1 2 3 4 5; do
    # The lock timeout waits out another apt; the retries cover stale lists and flaky mirrors.
    if apt-get -o DPkg::Lock::Timeout=180 -q update >"$log" 2>&1 \
       && apt-get -o DPkg::Lock::Timeout=180 -q install -y --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
      rm -f "$log"
      return 0
    fi
    say "apt-get failed (attempt $attempt of 5); retrying in 10 s ..."
    sleep 10
    # An install cut short earlier leaves dpkg half-configured; finish that before trying again.
    dpkg --configure -a >>"$log" 2>&1 || true
  done
  cat "$log" >&2
  die "could not install ${missing[*]} (log above)."
}

# playwright-core, pinned in Jobs.Tests/Browser/package-lock.json, drives Debian's Chromium: nothing downloads a
# browser of its own. Installed only when missing (or another version than the pinned one).
install_browser_driver() {
  local installed pinned
  pinned=$(sed -n 's/.*"playwright-core": *"\([^"]*\)".*/\1/p' "$BROWSER_TEST_DIR/package.json" | head -n1)
  installed=$(sed -n 's/^  "version": *"\([^"]*\)".*/\1/p' "$BROWSER_TEST_DIR/node_modules/playwright-core/package.json" 2>/dev/null | head -n1 || true)
  [ -n "$installed" ] && [ "$installed" = "$pinned" ] && return 0
  command -v npm >/dev/null || die "npm is missing; it is needed to install playwright-core for the browser test."
  say "installing playwright-core (npm ci in $BROWSER_TEST_DIR) ..."
  local attempt
  for attempt in 1 2 3; do
    if (cd "$BROWSER_TEST_DIR" && npm ci --no-audit --no-fund --loglevel=error </dev/null 9>&-); then
      return 0
    fi
    say "npm ci failed (attempt $attempt of 3); retrying in 10 s ..."
    sleep 10
  done
  die "could not install playwright-core in $BROWSER_TEST_DIR (npm output above)."
}

# --- the throwaway cluster --------------------------------------------------------------------------

as_pg_user() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u "$PG_OSUSER" -- "$@")
  else
    (cd / && "$@")
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; }

# A postmaster still running from our data directory (a run that was killed) is ours to end; any other
# process is left alone.
our_postmaster_pids() {
  local dir cmdline
  for dir in /proc/[0-9]*; do
    cmdline=$(tr '\0' ' ' <"$dir/cmdline" 2>/dev/null) || continue
    case $cmdline in
      *postgres*" -D $PG_DATA "* | *postgres*" -D $PG_DATA") echo "${dir#/proc/}" ;;
    esac
  done
}

stop_cluster() {
  if [ -f "$PG_DATA/postmaster.pid" ] && [ -x "${PG_BIN:-}/pg_ctl" ]; then
    as_pg_user "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 30 >/dev/null 2>&1 \
      || as_pg_user "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m immediate -w -t 10 >/dev/null 2>&1 || true
  fi
  local pid
  for pid in $(our_postmaster_pids); do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$PG_ROOT"
}

start_cluster() {
  PG_BIN=${JOBS_TEST_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}
  [ -x "$PG_BIN/initdb" ] || die "no PostgreSQL server found (looked for initdb in '${PG_BIN:-/usr/lib/postgresql/*/bin}')."
  if [ "$(id -u)" = 0 ] && ! id -u "$PG_OSUSER" >/dev/null 2>&1; then
    useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_OSUSER"
  fi

  stop_cluster   # leftovers of an earlier run
  if port_in_use; then
    die "port $PG_PORT on 127.0.0.1 is taken by another server (not this script's cluster). Stop it or pick another port with JOBS_TEST_PG_PORT."
  fi

  PG_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  install -d -m 700 -o "$PG_OSUSER" "$PG_ROOT"
  printf '%s\n' "$PG_PASSWORD" >"$PG_ROOT/pwfile"
  chown "$PG_OSUSER" "$PG_ROOT/pwfile"
  as_pg_user "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --pwfile="$PG_ROOT/pwfile" -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$PG_ROOT/initdb.log" 2>&1 \
    || { cat "$PG_ROOT/initdb.log" >&2; die "initdb failed."; }
  rm -f "$PG_ROOT/pwfile"

  # Settings go into the data directory, so a plain `pg_ctl restart` from a test keeps them.
  # Durability against an OS crash is traded for speed (fsync off): this cluster lives for one test run.
  # synchronous_commit stays on, so a server killed by a test (`pg_ctl stop -m immediate`) still keeps
  # every commit it acknowledged, as a production server would.
  cat >>"$PG_DATA/postgresql.conf" <<EOF

# --- scripts/test.sh ---
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_ROOT'
max_connections = 300
fsync = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
checkpoint_timeout = 30min
shared_buffers = 128MB
log_line_prefix = '%m [%p] %d '
EOF

  # fd 9 (the run lock) must not live on in the server.
  as_pg_user "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t 60 >/dev/null 9>&- \
    || { cat "$PG_LOG" >&2 2>/dev/null; die "PostgreSQL did not start."; }
  PGPASSWORD=$PG_PASSWORD "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qAtX -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE $PG_DATABASE" >/dev/null \
    || die "could not create database $PG_DATABASE."

  export JOBS_TEST_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$PG_PASSWORD;Database=$PG_DATABASE"
  export JOBS_TEST_PG_BIN=$PG_BIN JOBS_TEST_PG_DATA=$PG_DATA JOBS_TEST_PG_OSUSER=$PG_OSUSER JOBS_TEST_PG_LOG=$PG_LOG
  say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') up on 127.0.0.1:$PG_PORT (data: $PG_DATA)"
}

# --- results ----------------------------------------------------------------------------------------

# Sums the <Counters> of every trx file: errors, timeouts and aborted tests count as failed.
count_results() {
  local file counters attr value passed=0 failed=0
  while IFS= read -r -d '' file; do
    counters=$(grep -o '<Counters [^>]*>' "$file" | head -n1) || continue
    for attr in passed failed error timeout aborted; do
      value=$(sed -n "s/.* $attr=\"\([0-9]*\)\".*/\1/p" <<<"$counters")
      value=${value:-0}
      if [ "$attr" = passed ]; then passed=$((passed + value)); else failed=$((failed + value)); fi
    done
  done < <(find "$RESULTS_DIR" -name '*.trx' -type f -print0 2>/dev/null)
  echo "$passed $failed"
}

# --- main -------------------------------------------------------------------------------------------

exec 9>"$LOCK_FILE"
flock -n 9 || die "another test run holds $LOCK_FILE (port $PG_PORT). Wait for it or use another JOBS_TEST_PG_PORT."

PG_BIN=""
cleanup() { stop_cluster >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

install_missing_packages
install_browser_driver
export JOBS_TEST_RESULTS=$RESULTS_DIR
start_cluster

mkdir -p "$RESULTS_DIR"
find "$RESULTS_DIR" -name '*.trx' -type f -delete

set +e
dotnet test Jobs.sln -c Release --logger "trx;LogFileName=results.trx" --results-directory "$RESULTS_DIR" "$@" </dev/null 9>&-
test_exit=$?
set -e

cleanup
read -r passed failed < <(count_results)
if [ "$test_exit" -ne 0 ] && [ "$failed" -eq 0 ]; then
  say "dotnet test exited with $test_exit (build error or aborted run); see the output above."
fi
echo "$passed passed, $failed failed"
if [ "$test_exit" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
exit 0
