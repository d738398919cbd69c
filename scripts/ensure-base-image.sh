#!/usr/bin/env bash
# Makes sure debian:bookworm (tagged debian:12 too) exists on the engine, without a registry if need be:
#   1. present already: nothing to do;
#   2. `docker pull` works: use it;
#   3. else debootstrap a minbase bookworm from the Debian mirror this machine's apt sources name,
#      cache the root file system as a tarball, and `docker import` it.
set -euo pipefail
image=debian:bookworm
cache=${TSCOMPOSE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tscompose}
tarball=$cache/debian-bookworm-rootfs.tar

if docker image inspect "$image" >/dev/null 2>&1; then exit 0; fi

if timeout 20 docker pull -q "$image" >/dev/null 2>&1; then
  docker tag "$image" debian:12
  echo "tscompose: pulled $image"
  exit 0
fi

mirror() {
  local m=""
  m=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v -- '-security' | head -n 1 || true)
  [[ -n $m ]] || m=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list 2>/dev/null || true)
  echo "${m%% *}"
}

if [[ ! -s $tarball ]]; then
  src=$(mirror)
  if [[ -z $src ]]; then
    echo "tscompose: cannot pull $image and this machine's apt sources name no Debian mirror to build it from." >&2
    echo "  Load it yourself (docker load / docker import) and try again." >&2
    exit 1
  fi
  if ! command -v debootstrap >/dev/null 2>&1; then
    if [[ $(id -u) -ne 0 ]]; then echo "tscompose: install debootstrap (apt-get install debootstrap) to build $image" >&2; exit 1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  mkdir -p "$cache"
  rootfs=$(mktemp -d "$cache/rootfs.XXXXXX")
  trap 'rm -rf "$rootfs" "$tarball.part"' EXIT
  echo "tscompose: building $image with debootstrap from the machine's Debian mirror (about 30 s)..."
  debootstrap --variant=minbase bookworm "$rootfs" "$src" >"$cache/debootstrap.log" 2>&1 || {
    echo "tscompose: debootstrap failed; see $cache/debootstrap.log" >&2; tail -n 5 "$cache/debootstrap.log" >&2; exit 1; }
  # the image's apt uses the same mirror as the machine, as a pulled image would use its default one
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$src" "$src" >"$rootfs/etc/apt/sources.list"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" --numeric-owner -cf "$tarball.part" .
  mv "$tarball.part" "$tarball"
fi

docker import -c 'CMD ["bash"]' "$tarball" "$image" >/dev/null
docker tag "$image" debian:12
echo "tscompose: imported $image (and debian:12) from $tarball"
