#!/usr/bin/env bash
# Peak memory (max RSS) of `up -d` on the wide100 stack (100 services), tscompose then Docker Compose,
# each on an empty engine; the budget is 100 MiB for tscompose. Usage: bench/up-memory.sh [budget-MiB]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
budget=${1:-100}
dir=$(mktemp -d)
trap 'node "$root/dist/cli.js" -f "$dir/wide100/compose.yaml" down -t 1 >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
"${SHARED:-$root/../shared}/bench/gen-stacks.sh" "$dir" >/dev/null
file=$dir/wide100/compose.yaml
peak() { /usr/bin/time -f '%M' "$@" -f "$file" up -d 2>&1 >/dev/null | tail -n 1; }
ours=$(peak node "$root/dist/cli.js")
node "$root/dist/cli.js" -f "$file" down -t 1 >/dev/null 2>&1
theirs=$(peak docker compose)
docker compose -f "$file" down -t 1 >/dev/null 2>&1
printf 'up -d on wide100, peak RSS: tscompose %d MiB, docker compose %d MiB (budget %d MiB)\n' \
  $((ours / 1024)) $((theirs / 1024)) "$budget"
[ $((ours / 1024)) -lt "$budget" ]
