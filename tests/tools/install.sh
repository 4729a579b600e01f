#!/usr/bin/env bash
# Installs everything the tests run: the project virtualenv (.venv) and the upstream
# binaries of the sandbox cluster, built from Go modules at the versions pinned in
# versions.env. Built binaries are cached machine-wide by name and version, so a second
# run (or CI on the same machine) only links them; a fresh machine builds them.
#
#   tests/tools/install.sh            system packages + venv + every tool
#   tests/tools/install.sh system     only the Debian packages the tests start
#   tests/tools/install.sh venv       only the virtualenv
#   tests/tools/install.sh go         only the Go-built tools
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tools_dir=$root/tests/tools
# shellcheck source=versions.env
source "$tools_dir/versions.env"

cache=${STOREFLEET_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/storefleet/tools}
bin_dir=$root/.tools/bin
venv=$root/.venv
python=${PYTHON:-python3.11}

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# --- Debian packages ------------------------------------------------------------------

# Servers and programs the tests start: PostgreSQL and Redis for the store app, Chromium
# for the browser tests, tmux for the terminal smoke test. Debian stable fixes their
# major versions; the tests need nothing newer.
system_packages=(postgresql redis-server chromium tmux git)

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
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pip==25.3"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -e "$root[dev]"
  echo "$want" >"$stamp"
}

# --- Go-built tools -------------------------------------------------------------------

# A tool is built into $cache/<name>-<version>/ and marked complete only after its
# version command ran; the marker is what later runs trust.
tool_dir() { echo "$cache/$1-$2"; }

is_built() { [[ -f $(tool_dir "$1" "$2")/.complete ]]; }

mark_built() {
  local dir
  dir=$(tool_dir "$1" "$2")
  shift 2
  printf '%s\n' "$@" >"$dir/.complete"
}

# Run the tool's version commands (kept in its .complete marker): a binary that does not
# start fails the install here, not in the middle of a test.
verify_tool() {
  local dir cmd
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

# go build inside one of our wrapper modules (tests/tools/<module>), for upstream
# modules whose go.mod carries replace directives.
build_in_wrapper() {
  local module=$1 out=$2 ldflags=$3 pkg=$4
  (cd "$tools_dir/$module" && go build -trimpath -ldflags "-s -w $ldflags" -o "$out" "$pkg")
}

# go install for upstream modules that install cleanly on their own.
go_install() {
  local out_dir=$1 ldflags=$2 pkg=$3
  GOBIN=$out_dir go install -trimpath -ldflags "-s -w $ldflags" "$pkg"
}

install_kubernetes() {
  local v=$KUBERNETES_VERSION dir minor
  is_built kubernetes "$v" || {
    dir=$(tool_dir kubernetes "$v")/bin
    mkdir -p "$dir"
    minor=${v#v1.}
    minor=${minor%%.*}
    local ld="-X k8s.io/component-base/version.gitVersion=$v"
    ld+=" -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
    ld+=" -X k8s.io/component-base/version.gitTreeState=clean"
    ld+=" -X k8s.io/client-go/pkg/version.gitVersion=$v"
    ld+=" -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"
    local c
    for c in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
      [[ -x $dir/$c ]] || {
        log "building $c $v (first build takes several minutes)"
        build_in_wrapper kubernetes "$dir/$c" "$ld" "k8s.io/kubernetes/cmd/$c"
      }
    done
    mark_built kubernetes "$v" "kube-apiserver --version" "kube-controller-manager --version" \
      "kube-scheduler --version" "kubectl version --client"
  }
  link_tool kubernetes "$v"
}

install_etcd() {
  local v=$ETCD_VERSION
  is_built etcd "$v" || {
    log "building etcd $v"
    mkdir -p "$(tool_dir etcd "$v")/bin"
    build_in_wrapper etcd "$(tool_dir etcd "$v")/bin/etcd" "" go.etcd.io/etcd/server/v3
    mark_built etcd "$v" "etcd --version"
  }
  link_tool etcd "$v"
}

install_kwok() {
  local v=$KWOK_VERSION
  is_built kwok "$v" || {
    log "building kwok $v"
    go_install "$(tool_dir kwok "$v")/bin" "-X sigs.k8s.io/kwok/pkg/consts.Version=$v" \
      "sigs.k8s.io/kwok/cmd/kwok@$v"
    mark_built kwok "$v" "kwok --version"
  }
  link_tool kwok "$v"
}

install_helm() {
  local v=$HELM_VERSION
  is_built helm "$v" || {
    log "building helm $v"
    go_install "$(tool_dir helm "$v")/bin" \
      "-X helm.sh/helm/v3/internal/version.version=$v -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
      "helm.sh/helm/v3/cmd/helm@$v"
    mark_built helm "$v" "helm version"
  }
  link_tool helm "$v"
}

install_argo() {
  local v=$ARGO_WORKFLOWS_VERSION
  is_built argo-workflows "$v" || {
    log "building workflow-controller $v"
    go_install "$(tool_dir argo-workflows "$v")/bin" \
      "-X github.com/argoproj/argo-workflows/v4.version=$v" \
      "github.com/argoproj/argo-workflows/v4/cmd/workflow-controller@$v"
    mark_built argo-workflows "$v" "workflow-controller version"
  }
  link_tool argo-workflows "$v"
}

install_local_path_provisioner() {
  local v=$LOCAL_PATH_PROVISIONER_VERSION
  is_built local-path-provisioner "$v" || {
    log "building local-path-provisioner $v"
    go_install "$(tool_dir local-path-provisioner "$v")/bin" "-X main.VERSION=$v" \
      "github.com/rancher/local-path-provisioner@$v"
    mark_built local-path-provisioner "$v" "local-path-provisioner --version"
  }
  link_tool local-path-provisioner "$v"
}

install_go_tools() {
  command -v go >/dev/null || { echo "error: the Go toolchain is required to build the sandbox tools" >&2; exit 1; }
  install_kubernetes
  install_etcd
  install_kwok
  install_helm
  install_argo
  install_local_path_provisioner
}

case ${1:-all} in
  system) install_system_packages ;;
  venv) install_venv ;;
  go) install_go_tools ;;
  all) install_system_packages; install_venv; install_go_tools ;;
  *) echo "usage: $0 [all|system|venv|go]" >&2; exit 2 ;;
esac
