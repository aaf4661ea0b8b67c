#!/usr/bin/env bash
# Runs README.md top to bottom against a fresh service, so README can never drift from the code (issue 19).
#
# Every ```bash block of README runs, in order, as one script, unless the line before it says
# <!-- readme-tour: skip (why) -->. The service is the build output of `dotnet test` (or `dotnet build`), started on a
# free loopback port over a new database in a temporary folder, which is also the working directory: README's
# `cat data/admin.key` finds the key the service made there. README's address http://127.0.0.1:5080 is replaced by the
# real one. curl fails on any HTTP error (--fail-with-body), so a command README shows that the service refuses fails
# the tour; the checks at the end hold the outcomes README promises.
#
#   bash scripts/readme-tour.sh            (from the repository root; CONFIGURATION=Release for a release build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dll="$root/src/Moderation.Api/bin/${CONFIGURATION:-Debug}/net10.0/Moderation.Api.dll"
[ -f "$dll" ] || dotnet build "$root/src/Moderation.Api" -c "${CONFIGURATION:-Debug}" -v q -nologo

work=$(mktemp -d)
port=5180
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
url="http://127.0.0.1:$port"

# The blocks README's reader would type, with the real address.
awk -v url="$url" '
  /<!-- readme-tour: skip/ { skip = 1; next }
  /^```bash[[:space:]]*$/ { inside = 1; keep = !skip; skip = 0; if (keep) printf "\necho \"--- README.md line %d\"\n", NR; next }
  /^```/ && inside { inside = 0; next }
  inside && keep { gsub(/http:\/\/127\.0\.0\.1:5080/, url); print; next }
  /^[^[:space:]<]/ { skip = 0 }
' "$root/README.md" > "$work/tour.sh"

mkdir -p "$work/data"
# A worker that looks for work more often than the default 2 s: README's `sleep 2` holds on a busy CI machine too.
(cd "$work" && exec dotnet "$dll" --urls "$url" --Moderation:Database="$work/data/moderation.db" \
  --Moderation:Worker:PollInterval=00:00:00.200 > "$work/service.log" 2>&1) &
service=$!
cleanup() { kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 120); do curl -sf "$url/health" >/dev/null 2>&1 && break; sleep 0.5; done
curl -sf "$url/health" >/dev/null || { echo "readme-tour: the service did not start"; cat "$work/service.log"; exit 1; }

started=$(date +%s)
set +e
(cd "$work" && bash -euo pipefail -c 'curl() { command curl --fail-with-body --max-time 30 "$@"; }; export -f curl; source ./tour.sh') > "$work/tour.out" 2>&1
status=$?
set -e
if [ "$status" -ne 0 ]; then
  echo "readme-tour: a README command failed (exit $status); its output, then the service log:"
  tail -n 40 "$work/tour.out"; tail -n 40 "$work/service.log"; exit 1
fi

# What README promises, checked against the service it just ran on.
key=$(cat "$work/data/admin.key")
get() { curl -sf "$url$1" -H "Authorization: Bearer $key"; }
failures=0
expect() {  # expect "what README says" "/route" "extended regex the answer must match"
  if get "$2" | grep -Eq "$3"; then echo "ok   $1"; else echo "FAIL $1 ($2 does not match $3)"; failures=$((failures + 1)); fi
}
expect "c2 is profane and was rejected"                 /api/comments/c2 '"status":"rejected".*"code":"profanity"|"code":"profanity".*"status":"rejected"'
expect "the long rant c3 is off_topic_length"           /api/comments/c3 '"code":"off_topic_length"'
expect "c1 has 3 reports weighing 2"                    /api/comments/c1 '"reports":\{"count":3,"weight":2'
expect "c1 stayed visible and was approved"             /api/comments/c1 '"status":"approved"'
expect "the author record knows Rob's rejections"       /api/authors/rob-42 '"rejected":3'
expect "the bulk decision rejected what it counted"     /api/comments/c5 '"status":"rejected"'
if grep -q '{"count":2,' "$work/tour.out"; then echo "ok   the bulk dry run counted the two new profane comments"
else echo "FAIL the bulk dry run did not count 2"; failures=$((failures + 1)); fi
expect "settings are in force with their version"       /api/settings '"version":1'
expect "the NDJSON import created its comments"         /api/comments/archive:c2 '"parentId":"archive:c1"'
expect "the webhook lists its events as an array"       /api/webhooks '"events":\["comment.flagged","comment.decided"\]'
echo "readme-tour: $(grep -o -- '--- README.md line' "$work/tour.out" | wc -l) README blocks ran in $(( $(date +%s) - started )) s; $failures check(s) failed"
[ "$failures" -eq 0 ]
