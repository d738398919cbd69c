#!/usr/bin/env bash
# Makes sure a Docker engine answers, starting one if this machine can.
#   1. a daemon already answers on DOCKER_HOST or the default socket: use it;
#   2. Debian and root: install docker.io (and iptables) with apt if missing, start dockerd in the
#      background with its log in $TSCOMPOSE_STATE/dockerd.log, wait until it answers;
#   3. otherwise: say what to install or start, and fail.
set -euo pipefail
state=${TSCOMPOSE_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/tscompose}
timeout_s=${TSCOMPOSE_ENGINE_TIMEOUT:-60}

answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if answers; then exit 0; fi

if [[ -n ${DOCKER_HOST:-} ]]; then
  echo "tscompose: no Docker engine answers on DOCKER_HOST=$DOCKER_HOST; start it or unset DOCKER_HOST" >&2
  exit 1
fi

if [[ $(id -u) -ne 0 || ! -f /etc/debian_version ]]; then
  echo "tscompose: no Docker engine answers on /var/run/docker.sock." >&2
  echo "  Install Docker Engine (Debian: sudo apt-get install docker.io) and start it (sudo systemctl start docker)," >&2
  echo "  or run this as root on Debian and it will be set up for you." >&2
  exit 1
fi

did=()
if ! command -v dockerd >/dev/null 2>&1 || ! command -v iptables >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends docker.io iptables ca-certificates >/dev/null
  did+=("installed docker.io with apt")
fi

mkdir -p "$state"
log=$state/dockerd.log
if ! pgrep -x dockerd >/dev/null 2>&1; then
  # Debian's iptables defaults to nft; dockerd 20.10 needs the legacy backend on kernels without nft NAT.
  if command -v update-alternatives >/dev/null && iptables-legacy -L >/dev/null 2>&1 && ! iptables -t nat -L >/dev/null 2>&1; then
    update-alternatives --set iptables /usr/sbin/iptables-legacy >/dev/null
  fi
  nohup dockerd >"$log" 2>&1 </dev/null &
  echo $! >"$state/dockerd.pid"
  did+=("started dockerd (pid $!, log $log)")
fi

for ((i = 0; i < timeout_s * 4; i++)); do
  if answers; then
    echo "tscompose: Docker engine $(docker version --format '{{.Server.Version}}') ready: ${did[*]:-already running}"
    exit 0
  fi
  sleep 0.25
done
echo "tscompose: dockerd did not answer within ${timeout_s}s; see $log:" >&2
tail -n 20 "$log" >&2 || true
exit 1
