#!/usr/bin/env bash
# Makes sure the terminal tests have their tools: tmux, a real terminal emulator that runs tscompose
# and shows the screen it leaves, and zsh, whose completion is tested beside bash's. As root on
# Debian it installs what is missing with apt; otherwise it says what to install.
set -euo pipefail
missing=()
for tool in tmux zsh; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi
if [[ $(id -u) -eq 0 && -f /etc/debian_version ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "tscompose: the terminal tests need ${missing[*]} (Debian: sudo apt-get install ${missing[*]})" >&2
exit 1
