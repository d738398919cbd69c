#!/usr/bin/env bash
# Writes each case's expectation from Docker Compose v2 (`docker compose`, which must be installed):
# expected.json when Compose loads the case, expected.err (its message) when it refuses it.
#   usage: scripts/regenerate-conformance.sh [CASE...]   (default: every case under test/fixtures/conformance)
# The cases run in vitest (test/unit/compose/conformance-cases.test.ts), or with
# ../shared/conformance/run --cases test/fixtures/conformance node dist/cli.js.
set -euo pipefail
cases=$(cd "$(dirname "$0")/../test/fixtures/conformance" && pwd)
work=$(mktemp -d) ; trap 'rm -rf "$work"' EXIT
names=("$@") ; [[ ${#names[@]} -gt 0 ]] || names=($(ls "$cases"))
for name in "${names[@]}"; do
  c=$cases/$name ; dir=$work/$name
  # a case Compose cannot be trusted to survive (an alias bomb eats all memory) keeps its own expected.err
  [[ -f $c/no-regenerate ]] && continue
  rm -f "$c/expected.json" "$c/expected.err"
  cp -a "$c" "$dir"
  args=() ; [[ -f $dir/args ]] && read -r -a args < "$dir/args"
  envs=(PATH="$PATH" HOME=/root) ; [[ -f $dir/env ]] && while IFS= read -r l; do [[ -n $l ]] && envs+=("$l"); done < "$dir/env"
  if (cd "$dir" && ulimit -v 4000000 && env -i "${envs[@]}" timeout -s KILL 20 docker compose "${args[@]}" config --format json > "$work/out.json" 2>"$work/err"); then
    sed "s#$dir#@CASE_DIR@#g" "$work/out.json" > "$c/expected.json"
  else
    sed "s#$dir#@CASE_DIR@#g" "$work/err" > "$c/expected.err"
    echo "compose rejects $name: $(head -c 200 "$c/expected.err")"
  fi
done
