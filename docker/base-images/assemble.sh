#!/usr/bin/env bash
# Assemble a base image without a registry (see README.md):
#   docker/base-images/assemble.sh node   IMAGE   Debian bookworm + this machine's Node.js
#   docker/base-images/assemble.sh debian IMAGE   Debian bookworm, as debian:bookworm-slim
# Needs root, debootstrap and buildah. Prints nothing but progress; the image lands in
# buildah's local storage under IMAGE.
set -euo pipefail

kind=${1:?usage: assemble.sh node|debian IMAGE}
image=${2:?usage: assemble.sh node|debian IMAGE}
node_version=v20.20.2
suite=bookworm
mirror=${STOREFLEET_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${STOREFLEET_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

log() { printf '==> %s\n' "$*" >&2; }

rootfs=$(mktemp -d /var/tmp/storefleet-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

case $kind in
  node)
    [[ $(node --version) == "$node_version" ]] \
      || { echo "error: Node.js $node_version is needed on this machine, found $(node --version)" >&2; exit 1; }
    packages=ca-certificates
    ;;
  debian) packages=ca-certificates ;;
  *) echo "error: unknown base image kind '$kind' (node or debian)" >&2; exit 2 ;;
esac

log "debootstrap $suite ($kind)"
# Debian's slim images leave out documentation, manual pages and locales.
mkdir -p "$rootfs/etc/dpkg/dpkg.cfg.d"
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/storefleet-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CFG
debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" >/dev/null
# debootstrap unpacks its first packages without dpkg's path filters: apply them now.
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$rootfs/usr/share/man" "$rootfs/usr/share/info"
find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +

cat >"$rootfs/etc/apt/sources.list" <<LIST
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security_mirror $suite-security main
LIST
cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
if [[ $kind == node ]]; then
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
fi

if [[ $kind == node ]]; then
  # The layout of the upstream node image: the runtime in /usr/local.
  install -m 0755 "$(command -v node)" "$rootfs/usr/local/bin/node"
  node_modules=$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/../.." && pwd)
  mkdir -p "$rootfs/usr/local/lib/node_modules"
  for tool in npm corepack; do
    [[ -d $node_modules/$tool ]] || continue
    cp -a "$node_modules/$tool" "$rootfs/usr/local/lib/node_modules/$tool"
  done
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  if [[ -d $rootfs/usr/local/lib/node_modules/corepack ]]; then
    ln -s ../lib/node_modules/corepack/dist/corepack.js "$rootfs/usr/local/bin/corepack"
  fi
  printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' >"$rootfs/usr/local/etc/npmrc"
fi

chroot "$rootfs" apt-get clean
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/log/*.log \
  "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/lib/dpkg/*-old

log "committing $image"
container=$(buildah from scratch)
trap 'rm -rf "$rootfs"; buildah rm "$container" >/dev/null 2>&1 || true' EXIT
mountpoint=$(buildah mount "$container")
cp -a "$rootfs"/. "$mountpoint"/
buildah umount "$container" >/dev/null
config=(--env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd /bin/bash)
if [[ $kind == node ]]; then
  config=(--env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    --env NODE_VERSION="${node_version#v}" --cmd node)
fi
buildah config "${config[@]}" --label org.opencontainers.image.description="storefleet local $kind base" "$container"
buildah commit --quiet --format docker --rm "$container" "$image" >/dev/null
trap 'rm -rf "$rootfs"' EXIT
log "assembled $image"
