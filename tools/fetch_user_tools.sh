#!/usr/bin/env bash
# `make user-tools`: k3d, helm and kubectl for `make up`, at the versions pinned in
# user-tools.sha256, each download checked against its pinned sha256 before it is
# installed. A tool already installed there at the pinned version is kept.
#
#   tools/fetch_user_tools.sh            all three, into .tools/bin
#   tools/fetch_user_tools.sh k3d helm   only those
#
# STOREFLEET_USER_TOOLS_DIR installs elsewhere (it must be on PATH for `make up`;
# the Makefile puts .tools/bin first); STOREFLEET_USER_TOOLS_PINS reads other pins
# (the tests use local files). Needs curl, sha256sum and tar.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pins=${STOREFLEET_USER_TOOLS_PINS:-$root/tools/user-tools.sha256}
bin_dir=${STOREFLEET_USER_TOOLS_DIR:-$root/.tools/bin}

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-amd64 ;;
  Linux-aarch64 | Linux-arm64) platform=linux-arm64 ;;
  *) die "no pinned downloads for $(uname -s) $(uname -m): install k3d, helm and kubectl with your package manager (versions in $pins)" ;;
esac

# The version a tool reports, in the spelling of the pins (v1.2.3).
installed_version() {
  case $1 in
    k3d) "$2" version 2>/dev/null | sed -n 's/^k3d version \(v[0-9.]*\).*/\1/p' ;;
    helm) "$2" version --short 2>/dev/null | sed -n 's/^\(v[0-9.]*\).*/\1/p' ;;
    kubectl) "$2" version --client 2>/dev/null | sed -n 's/^Client Version: \(v[0-9.]*\).*/\1/p' ;;
  esac
}

fetch_tool() {
  local tool=$1 version sum url pin work target
  pin=$(awk -v t="$tool" -v p="$platform" '$1 == t && $3 == p' "$pins")
  [[ -n $pin ]] || die "no pinned $tool download for $platform in $pins"
  read -r _ version _ sum url <<<"$pin"
  target=$bin_dir/$tool
  if [[ -x $target && $(installed_version "$tool" "$target") == "$version" ]]; then
    log "$tool $version already in $bin_dir"
    return
  fi
  work=$(mktemp -d)
  # shellcheck disable=SC2064  # expand $work now: it is local to this call
  trap "rm -rf '$work'" RETURN
  log "downloading $tool $version ($platform)"
  curl --fail --silent --show-error --location --retry 3 --output "$work/download" "$url"
  printf '%s  %s\n' "$sum" "$work/download" | sha256sum --check --strict --quiet - \
    || die "$tool: the download from $url does not match the pinned sha256; nothing installed"
  if [[ $url == *.tar.gz ]]; then
    tar -xzf "$work/download" -C "$work" "$platform/$tool"
    mv "$work/$platform/$tool" "$work/download"
  fi
  mkdir -p "$bin_dir"
  install -m 0755 "$work/download" "$target"
  log "$tool: $(installed_version "$tool" "$target") in $bin_dir"
}

tools=("$@")
((${#tools[@]})) || tools=(k3d helm kubectl)
for tool in "${tools[@]}"; do
  case $tool in
    k3d | helm | kubectl) fetch_tool "$tool" ;;
    *) die "unknown tool $tool (k3d, helm or kubectl)" ;;
  esac
done
