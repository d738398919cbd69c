#!/usr/bin/env bash
# Docker Compose v2, the reference tscompose is tested against (the interoperability tests run it
# beside tscompose on the same project). Debian bookworm has no Compose v2 package, so this takes
# trixie's `docker-compose` package from the machine's own Debian mirror, as its apt sources name it,
# and installs only its CLI plugin into ~/.docker/cli-plugins. No apt source of the machine changes.
# Idempotent: nothing is downloaded when `docker compose` already reports version 2.
set -euo pipefail
if docker compose version 2>/dev/null | grep -q 'version v\?2'; then exit 0; fi

mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v -- '-security' | head -n 1 || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
if [ -z "$mirror" ]; then
  echo "tscompose: no Debian mirror in the apt sources; install Docker Compose v2 as the docker CLI plugin by hand" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
  "$mirror" > "$work/trixie.sources"
mkdir -p "$work/lists/partial"
apt=(-qq -o APT::Sandbox::User=root -o Dir::Etc::sourcelist="$work/trixie.sources" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$work/lists")
echo "tscompose: installing Docker Compose v2 (Debian trixie's docker-compose) as a docker CLI plugin..." >&2
apt-get "${apt[@]}" update
(cd "$work" && apt-get "${apt[@]}" download docker-compose)
dpkg-deb -x "$work"/docker-compose_*.deb "$work/pkg"
mkdir -p "$HOME/.docker/cli-plugins"
install -m 0755 "$work/pkg/usr/libexec/docker/cli-plugins/docker-compose" "$HOME/.docker/cli-plugins/docker-compose"
docker compose version >&2
