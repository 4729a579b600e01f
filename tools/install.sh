#!/usr/bin/env bash
# Installs what Storefleet runs outside a Docker machine: the project virtualenv (.venv),
# the Debian packages, and the upstream binaries of the sandbox cluster, built from Go
# modules at the versions pinned in versions.env. Built binaries are cached machine-wide
# by name and version, so a second run (or CI on the same machine) only links them; a
# fresh machine builds them.
#
#   tools/install.sh            system packages + venv + every tool
#   tools/install.sh system     only the Debian packages
#   tools/install.sh venv       only the virtualenv
#   tools/install.sh go         only the Go-built tools
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools_dir=$root/tools
# shellcheck source=versions.env
source "$tools_dir/versions.env"

cache=${STOREFLEET_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/storefleet/tools}
bin_dir=$root/.tools/bin
venv=$root/.venv
python=${PYTHON:-python3.11}
# The installer that fills the virtualenv from its machine-wide cache.
uv_version=0.13.9

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# --- Debian packages ------------------------------------------------------------------

# Servers and programs the tests start: PostgreSQL and Redis for the store app, Chromium
# for the browser tests, tmux for the terminal smoke test. The sandbox's real node runs
# containerd + runc with the CNI plugins, kube-proxy and the network policy agent program
# iptables/ipset (conntrack flushes stale UDP entries); buildah, skopeo and debootstrap
# assemble and build the images without a Docker engine; busybox-static is the volume
# helper image. Debian stable fixes their major versions.
system_packages=(postgresql redis-server chromium tmux git
  containerd runc containernetworking-plugins iptables ipset conntrack
  buildah skopeo debootstrap busybox-static)

install_system_packages() {
  local missing=() pkg
  for pkg in "${system_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    log "system packages present"
    return
  fi
  log "installing system packages: ${missing[*]}"
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# --- Python ---------------------------------------------------------------------------

install_venv() {
  local stamp=$venv/.storefleet-stamp want
  want=$(sha256sum <"$root/pyproject.toml" | cut -d" " -f1)
  if [[ -x $venv/bin/python && -f $stamp && $(cat "$stamp") == "$want" ]]; then
    log "virtualenv up to date ($venv)"
    return
  fi
  log "installing the virtualenv ($venv)"
  command -v "$python" >/dev/null || { echo "error: $python not found; Python 3.11 is required" >&2; exit 1; }
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pip==25.3" "uv==$uv_version"
  # uv links the packages from its machine-wide, content-addressed cache (~/.cache/uv):
  # a fresh clone gets its virtualenv in seconds once one clone has downloaded them.
  "$venv/bin/uv" pip install --quiet --python "$venv/bin/python" -e "$root[dev]"
  echo "$want" >"$stamp"
}

# --- Go-built tools -------------------------------------------------------------------

# A tool is built into $cache/<name>-<version>/bin and marked complete only after every
# one of its binaries exists and its version commands ran; a binary added to a tool later
# is built on the next run, the others are kept.
tool_dir() { echo "$cache/$1-$2"; }

# Run the tool's version commands (kept in its .complete marker): a binary that does not
# start fails the install here, not in the middle of a test.
verify_tool() {
  local dir cmd out
  dir=$(tool_dir "$1" "$2")
  while IFS= read -r cmd; do
    [[ -n $cmd ]] || continue
    if ! out=$(cd "$dir/bin" && PATH="$dir/bin:$PATH" eval "$cmd" 2>&1); then
      echo "error: '$cmd' failed for $1 $2:" >&2
      echo "$out" >&2
      exit 1
    fi
    printf '    %-28s %s\n' "$cmd" "$(grep -m1 -iE 'version|v[0-9]' <<<"$out" | cut -c1-90)" >&2
  done <"$dir/.complete"
}

link_tool() {
  local dir f
  verify_tool "$1" "$2"
  dir=$(tool_dir "$1" "$2")
  mkdir -p "$bin_dir"
  for f in "$dir"/bin/*; do
    ln -sfn "$f" "$bin_dir/$(basename "$f")"
  done
}

# install_tool NAME VERSION BUILDER "BINARY..." "VERSION COMMAND..."
# BUILDER is called as `BUILDER <binary> <output path>` for each missing binary.
install_tool() {
  local name=$1 version=$2 builder=$3 dir binary
  local -a binaries commands
  read -r -a binaries <<<"$4"
  IFS=';' read -r -a commands <<<"$5"
  dir=$(tool_dir "$name" "$version")
  if [[ ! -f $dir/.complete ]] || ! all_present "$dir/bin" "${binaries[@]}"; then
    mkdir -p "$dir/bin"
    rm -f "$dir/.complete"
    for binary in "${binaries[@]}"; do
      [[ -x $dir/bin/$binary ]] && continue
      log "building $binary $version (a first build takes minutes)"
      "$builder" "$binary" "$dir/bin/$binary"
    done
    printf '%s\n' "${commands[@]}" >"$dir/.complete"
  fi
  link_tool "$name" "$version"
}

all_present() {
  local dir=$1 binary
  shift
  for binary in "$@"; do [[ -x $dir/$binary ]] || return 1; done
}

# go build inside one of our wrapper modules (tools/go/<module>), for upstream modules
# whose go.mod carries replace directives.
build_in_wrapper() {
  local module=$1 out=$2 ldflags=$3 pkg=$4
  (cd "$tools_dir/go/$module" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w $ldflags" -o "$out" "$pkg")
}

# go install for upstream modules that install cleanly on their own.
go_install() {
  local out=$1 ldflags=$2 pkg=$3 gobin
  gobin=$(mktemp -d)
  CGO_ENABLED=0 GOBIN=$gobin go install -trimpath -ldflags "-s -w $ldflags" "$pkg"
  mv "$gobin"/* "$out"
  rmdir "$gobin"
}

kubernetes_ldflags() {
  local v=$KUBERNETES_VERSION minor
  minor=${v#v1.}
  minor=${minor%%.*}
  local pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    printf -- '-X %s.gitVersion=%s -X %s.gitMajor=1 -X %s.gitMinor=%s ' "$pkg" "$v" "$pkg" "$pkg" "$minor"
  done
  printf -- '-X k8s.io/component-base/version.gitTreeState=clean'
}

build_kubernetes() { build_in_wrapper kubernetes "$2" "$(kubernetes_ldflags)" "k8s.io/kubernetes/cmd/$1"; }
build_etcd() { build_in_wrapper etcd "$2" "" go.etcd.io/etcd/server/v3; }
build_traefik() {
  build_in_wrapper traefik "$2" "-X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" \
    github.com/traefik/traefik/v3/cmd/traefik
}
build_kwok() { go_install "$2" "-X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"; }
build_helm() {
  go_install "$2" "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
}
build_argo() {
  local ldflags="-X github.com/argoproj/argo-workflows/v4.version=$ARGO_WORKFLOWS_VERSION"
  if [[ $1 != argoexec ]]; then
    go_install "$2" "$ldflags" "github.com/argoproj/argo-workflows/v4/cmd/$1@$ARGO_WORKFLOWS_VERSION"
    return
  fi
  # The executor's Linux signal handling is a symbolic link to the Darwin file in Argo's
  # repository, and module archives drop symbolic links: build from a copy of the module
  # with that link restored, as the repository has it.
  local src work
  src=$(go mod download -json "github.com/argoproj/argo-workflows/v4@$ARGO_WORKFLOWS_VERSION" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  work=$(mktemp -d)
  cp -r "$src/." "$work"
  chmod -R u+w "$work"
  ln -s signal_darwin.go "$work/workflow/executor/osspecific/signal_linux.go"
  (cd "$work" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w $ldflags" -o "$2" ./cmd/argoexec)
  rm -rf "$work"
}
build_local_path_provisioner() {
  go_install "$2" "-X main.VERSION=$LOCAL_PATH_PROVISIONER_VERSION" \
    "github.com/rancher/local-path-provisioner@$LOCAL_PATH_PROVISIONER_VERSION"
}
build_coredns() {
  go_install "$2" "-X github.com/coredns/coredns/coremain.GitCommit=$COREDNS_VERSION" \
    "github.com/coredns/coredns@$COREDNS_VERSION"
}
build_kube_router() {
  go_install "$2" "-X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=$KUBE_ROUTER_VERSION" \
    "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router@$KUBE_ROUTER_VERSION"
}
build_registry() {
  go_install "$2" "-X github.com/distribution/distribution/v3/version.version=$REGISTRY_VERSION" \
    "github.com/distribution/distribution/v3/cmd/registry@$REGISTRY_VERSION"
}
build_crictl() {
  go_install "$2" "-X sigs.k8s.io/cri-tools/pkg/version.Version=$CRICTL_VERSION" \
    "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL_VERSION"
}

# The Gateway API CRDs (standard channel) the edge serves, from the module the Traefik
# release was built against; the Go module proxy checks them against go.sum's hash.
install_gateway_api_crds() {
  local v=$GATEWAY_API_VERSION dir src
  dir=$(tool_dir gateway-api "$v")
  if [[ ! -f $dir/.complete ]]; then
    src=$(go mod download -json "sigs.k8s.io/gateway-api@$v" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    mkdir -p "$dir/manifests"
    local crd
    for crd in "$src"/config/crd/standard/gateway.networking.k8s.io_*.yaml; do
      printf -- '---\n'
      cat "$crd"
    done >"$dir/manifests/gateway-api-standard-$v.yaml"
    touch "$dir/.complete"
  fi
  mkdir -p "$root/.tools/manifests"
  ln -sfn "$dir/manifests/gateway-api-standard-$v.yaml" "$root/.tools/manifests/gateway-api-standard.yaml"
}

install_go_tools() {
  command -v go >/dev/null || { echo "error: the Go toolchain is required to build the sandbox tools" >&2; exit 1; }
  install_tool kubernetes "$KUBERNETES_VERSION" build_kubernetes \
    "kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy" \
    "kube-apiserver --version;kube-controller-manager --version;kube-scheduler --version;kubectl version --client;kubelet --version;kube-proxy --version"
  install_tool etcd "$ETCD_VERSION" build_etcd etcd "etcd --version"
  install_tool kwok "$KWOK_VERSION" build_kwok kwok "kwok --version"
  install_tool helm "$HELM_VERSION" build_helm helm "helm version"
  install_tool argo-workflows "$ARGO_WORKFLOWS_VERSION" build_argo "workflow-controller argoexec" \
    "workflow-controller version;argoexec version"
  install_tool local-path-provisioner "$LOCAL_PATH_PROVISIONER_VERSION" build_local_path_provisioner \
    local-path-provisioner "local-path-provisioner --version"
  install_tool coredns "$COREDNS_VERSION" build_coredns coredns "coredns -version"
  install_tool kube-router "$KUBE_ROUTER_VERSION" build_kube_router kube-router "kube-router --version"
  install_tool registry "$REGISTRY_VERSION" build_registry registry "registry --version"
  install_tool crictl "$CRICTL_VERSION" build_crictl crictl "crictl --version"
  install_tool traefik "$TRAEFIK_VERSION" build_traefik traefik "traefik version"
  install_gateway_api_crds
}

case ${1:-all} in
  system) install_system_packages ;;
  venv) install_venv ;;
  go) install_go_tools ;;
  all) install_system_packages; install_venv; install_go_tools ;;
  *) echo "usage: $0 [all|system|venv|go]" >&2; exit 2 ;;
esac
