#!/usr/bin/env bash
# Makes sure tmux is there: the terminal tests run tscompose inside it, a real terminal emulator,
# and read the screen it leaves. As root on Debian it installs tmux with apt; otherwise it says how.
set -euo pipefail
if command -v tmux >/dev/null 2>&1; then exit 0; fi
if [[ $(id -u) -eq 0 && -f /etc/debian_version ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends tmux >/dev/null
  exit 0
fi
echo "tscompose: the terminal tests need tmux (Debian: sudo apt-get install tmux)" >&2
exit 1
