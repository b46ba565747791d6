# shellcheck shell=bash
# Shared helpers for stack.sh, kafka.sh and elasticsearch.sh. Sourced, not run.

SIFT_LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SIFT_REPO_ROOT="$(cd "$SIFT_LOCAL_DIR/../.." && pwd)"
SIFT_TARGET="$SIFT_LOCAL_DIR/target"
SIFT_KAFKA_LIBS="$SIFT_TARGET/kafka/libs"

STACK_DIR="$SIFT_REPO_ROOT/.sift/stack"
KAFKA_PORT=19092
ES_PORT=19200
ONLY=""
START_TIMEOUT="${SIFT_STACK_START_TIMEOUT:-120}"
STOP_TIMEOUT="${SIFT_STACK_STOP_TIMEOUT:-30}"

log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# parse_options "$@": the options every script takes.
parse_options() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) [ $# -ge 2 ] || die "--dir needs a value"; STACK_DIR="$2"; shift 2 ;;
      --dir=*) STACK_DIR="${1#*=}"; shift ;;
      --kafka-port) [ $# -ge 2 ] || die "--kafka-port needs a value"; KAFKA_PORT="$2"; shift 2 ;;
      --kafka-port=*) KAFKA_PORT="${1#*=}"; shift ;;
      --es-port) [ $# -ge 2 ] || die "--es-port needs a value"; ES_PORT="$2"; shift 2 ;;
      --es-port=*) ES_PORT="${1#*=}"; shift ;;
      --only) [ $# -ge 2 ] || die "--only needs a value"; ONLY="$2"; shift 2 ;;
      --only=*) ONLY="${1#*=}"; shift ;;
      --timeout) [ $# -ge 2 ] || die "--timeout needs a value"; START_TIMEOUT="$2"; shift 2 ;;
      --timeout=*) START_TIMEOUT="${1#*=}"; shift ;;
      -h|--help) usage; exit 0 ;;
      *) die "unknown option: $1 (try --help)" ;;
    esac
  done
  case "$ONLY" in ""|kafka|elasticsearch) ;; *) die "--only takes kafka or elasticsearch, not '$ONLY'" ;; esac
  if ! is_port "$KAFKA_PORT" || [ "$KAFKA_PORT" -ge 65535 ]; then die "bad --kafka-port: $KAFKA_PORT"; fi
  if ! is_port "$ES_PORT" || [ "$ES_PORT" -gt 65435 ]; then die "bad --es-port: $ES_PORT"; fi
  [[ "$START_TIMEOUT" =~ ^[0-9]+$ ]] || die "bad --timeout: $START_TIMEOUT"
  mkdir -p "$STACK_DIR"
  STACK_DIR="$(cd "$STACK_DIR" && pwd -P)"
}

# now_ms / elapsed START_MS: wall-clock milliseconds, for start-up times.
now_ms() { local t="${EPOCHREALTIME/[.,]/}"; printf '%s\n' "$((t / 1000))"; }
elapsed() { local ms=$(($(now_ms) - $1)); printf '%d.%ds\n' $((ms / 1000)) $((ms % 1000 / 100)); }

is_port() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pid_alive PID PATTERN: the process exists and its command line contains PATTERN.
pid_alive() {
  local pid="$1" pattern="$2" cmdline
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$pattern"* ]]
}

read_pid() {
  [ -s "$1" ] || return 1
  tr -dc '0-9' <"$1"
}

# stop_pid PID PATTERN NAME: TERM, wait up to STOP_TIMEOUT seconds, then KILL.
stop_pid() {
  local pid="$1" pattern="$2" name="$3" waited=0
  kill -TERM "$pid" 2>/dev/null || true
  while pid_alive "$pid" "$pattern"; do
    if [ "$waited" -ge $((STOP_TIMEOUT * 10)) ]; then
      log "$name (pid $pid) did not stop within ${STOP_TIMEOUT}s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# show_log_tail FILE...: print the last lines of the files that exist, for error messages.
show_log_tail() {
  local f
  for f in "$@"; do
    if [ -s "$f" ]; then
      log "---- last lines of $f ----"
      tail -n 40 "$f" >&2
    fi
  done
}

java_bin() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    printf '%s\n' "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  else
    die "no java found: put a JDK 17+ on PATH or set JAVA_HOME"
  fi
}

# The JDK home of the java in use (ES wants ES_JAVA_HOME, not a java binary).
java_home() {
  local java
  java="$(readlink -f "$(java_bin)")"
  dirname "$(dirname "$java")"
}

es_version() {
  sed -n 's:.*<elasticsearch.version>\(.*\)</elasticsearch.version>.*:\1:p' "$SIFT_REPO_ROOT/pom.xml" | head -n 1
}

es_distribution() {
  printf '%s\n' "$SIFT_TARGET/elasticsearch-$(es_version)"
}

binaries_present() {
  compgen -G "$SIFT_KAFKA_LIBS/kafka_2.13-*.jar" >/dev/null && [ -x "$(es_distribution)/bin/elasticsearch" ]
}

# ensure_module_resources MODULE TARGET PRESENT_FN WHAT: when PRESENT_FN fails, run the Maven module's
# generate-resources (which fetches the jars or servers) once, serialised with a lock in TARGET, since several
# scripts may start at the same time on a fresh clone.
ensure_module_resources() {
  local module="$1" target="$2" present="$3" what="$4"
  "$present" && return 0
  mkdir -p "$target"
  (
    flock -w 900 9 || die "timed out waiting for another build of $module"
    if ! "$present"; then
      log "$what missing: running mvn -pl $module generate-resources (downloads once)"
      command -v mvn >/dev/null 2>&1 || die "mvn not found: install Maven to fetch the $what"
      mvn -q -f "$SIFT_REPO_ROOT/pom.xml" -pl "$module" generate-resources >&2 \
        || die "mvn -pl $module generate-resources failed"
      "$present" || die "$what still missing after the build (looked in $target)"
    fi
  ) 9>"$target/.build.lock"
}

# ensure_binaries: the Kafka jars and the Elasticsearch server, fetched when missing.
ensure_binaries() {
  ensure_module_resources deploy/local "$SIFT_TARGET" binaries_present "Kafka/Elasticsearch binaries"
}

# Prints one service's state line (name, port, pid or empty, dir); returns 0 when up, 3 otherwise.
report_status() {
  local name="$1" port="$2" pid="$3" dir="$4"
  if [ -n "$pid" ] && port_open "$port"; then
    printf '%s: up port=%s pid=%s dir=%s\n' "$name" "$port" "$pid" "$dir"
    return 0
  elif [ -n "$pid" ]; then
    printf '%s: starting port=%s pid=%s dir=%s\n' "$name" "$port" "$pid" "$dir"
  else
    printf '%s: down port=%s pid=- dir=%s\n' "$name" "$port" "$dir"
  fi
  return 3
}
