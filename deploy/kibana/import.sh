#!/usr/bin/env bash
# Imports Sift's Kibana saved objects (data views, saved searches, Lens visualizations, dashboards) into Kibana 8.x.
# The reviewed files are one pretty-printed object each under deploy/kibana/<type>/<id>.json; this script joins them
# into the NDJSON the saved-objects import API takes. Ids are stable and the import overwrites, so running it again
# updates the objects in place instead of adding copies.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: import.sh [--kibana URL] [--space SPACE] [--timeout SECONDS] [--dry-run]

  --kibana URL       Kibana base URL (default $KIBANA_URL, else http://127.0.0.1:5601)
  --space SPACE      Kibana space to import into (default: the default space)
  --timeout SECONDS  how long to wait for Kibana to report itself available (default 300)
  --dry-run          print the NDJSON that would be imported and exit; Kibana is not contacted

Authentication, when Kibana needs it, from the environment: KIBANA_API_KEY (an encoded API key), or
KIBANA_USERNAME and KIBANA_PASSWORD (basic). KIBANA_WAIT_INTERVAL: seconds between status checks (default 5).
Needs curl, and jq or python3 to compact the JSON files.
EOF
}

die() {
  printf 'import.sh: %s\n' "$*" >&2
  exit 1
}

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KIBANA="${KIBANA_URL:-http://127.0.0.1:5601}"
SPACE=""
TIMEOUT=300
INTERVAL="${KIBANA_WAIT_INTERVAL:-5}"
DRY_RUN=false

while [ "$#" -gt 0 ]; do
  case "$1" in
    --kibana) [ "$#" -ge 2 ] || die "--kibana needs a URL"; KIBANA="$2"; shift 2 ;;
    --space) [ "$#" -ge 2 ] || die "--space needs a space id"; SPACE="$2"; shift 2 ;;
    --timeout) [ "$#" -ge 2 ] || die "--timeout needs seconds"; TIMEOUT="$2"; shift 2 ;;
    --dry-run) DRY_RUN=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
case "$TIMEOUT" in
  ''|*[!0-9]*) die "--timeout must be a whole number of seconds, not '$TIMEOUT'" ;;
esac
case "$INTERVAL" in
  ''|*[!0-9.]*) die "KIBANA_WAIT_INTERVAL must be a number of seconds, not '$INTERVAL'" ;;
esac
KIBANA="${KIBANA%/}"

# Referenced objects first (data views, then searches and visualizations, then dashboards), so the file reads in
# dependency order; Kibana resolves references across the whole file either way.
TYPES=(index-pattern search lens dashboard)

compact_json() {
  if command -v jq >/dev/null 2>&1; then
    jq -c . "$1"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1], encoding="utf-8")), separators=(",", ":"), ensure_ascii=False))' "$1"
  else
    die "needs jq or python3 to compact $1"
  fi
}

build_ndjson() {
  local type file line count=0
  for type in "${TYPES[@]}"; do
    [ -d "$HERE/$type" ] || continue
    for file in "$HERE/$type"/*.json; do
      [ -e "$file" ] || continue
      line="$(compact_json "$file")" || die "$file is not valid JSON"
      printf '%s\n' "$line"
      count=$((count + 1))
    done
  done
  [ "$count" -gt 0 ] || die "no saved objects found under $HERE"
}

if [ "$DRY_RUN" = true ]; then
  build_ndjson
  exit 0
fi

command -v curl >/dev/null 2>&1 || die "needs curl"

AUTH=()
if [ -n "${KIBANA_API_KEY:-}" ]; then
  AUTH=(-H "Authorization: ApiKey $KIBANA_API_KEY")
elif [ -n "${KIBANA_USERNAME:-}" ]; then
  AUTH=(-u "$KIBANA_USERNAME:${KIBANA_PASSWORD:-}")
fi

BASE="$KIBANA"
if [ -n "$SPACE" ] && [ "$SPACE" != "default" ]; then
  BASE="$KIBANA/s/$SPACE"
fi

# /api/status answers 200 only once Kibana's overall status is available (503 while it starts or migrates).
wait_for_kibana() {
  local deadline code
  deadline=$((SECONDS + TIMEOUT))
  while :; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 ${AUTH[@]+"${AUTH[@]}"} "$KIBANA/api/status" || true)"
    case "$code" in
      200) return 0 ;;
      401|403) die "Kibana at $KIBANA refused the credentials (HTTP $code); set KIBANA_API_KEY or KIBANA_USERNAME/KIBANA_PASSWORD" ;;
    esac
    [ "$SECONDS" -lt "$deadline" ] || die "Kibana at $KIBANA not available after ${TIMEOUT}s (last HTTP status: ${code:-none})"
    sleep "$INTERVAL"
  done
}

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
build_ndjson >"$WORK/sift-saved-objects.ndjson"
OBJECTS="$(wc -l <"$WORK/sift-saved-objects.ndjson" | tr -d ' ')"

wait_for_kibana
printf 'import.sh: importing %s saved objects into %s (space: %s)\n' "$OBJECTS" "$KIBANA" "${SPACE:-default}"
CODE="$(curl -s -o "$WORK/response.json" -w '%{http_code}' --max-time 120 ${AUTH[@]+"${AUTH[@]}"} \
  -X POST "$BASE/api/saved_objects/_import?overwrite=true" \
  -H 'kbn-xsrf: true' \
  --form "file=@$WORK/sift-saved-objects.ndjson;filename=sift-saved-objects.ndjson")" || die "cannot reach $BASE"
RESPONSE="$(cat "$WORK/response.json")"
[ "$CODE" = 200 ] || die "import refused (HTTP $CODE): $RESPONSE"
# The API answers 200 also when single objects fail; their errors are listed and success is false.
case "$RESPONSE" in
  *'"success":true'*)
    printf 'import.sh: done: %s\n' "$RESPONSE" | cut -c1-300
    ;;
  *)
    die "some objects failed to import: $RESPONSE"
    ;;
esac
