#!/usr/bin/env bash
# Try Storefleet without Docker: the sandbox cluster (a real control plane, a real node
# that runs the stores, simulated nodes for scale, Traefik as the edge on 127.0.0.1:80),
# the platform installed on it, the images built here and pushed to the sandbox's
# registry, then the TUI on inventory `sandbox`. A store created in the TUI is served at
# http://<store>.sandbox.127.0.0.1.nip.io (where DNS does not reach nip.io, a browser on
# this machine maps the names: chromium --host-resolver-rules="MAP *.sandbox.127.0.0.1.nip.io 127.0.0.1").
#
#   tui/demo.sh            (what `make demo` runs; `make sandbox-down` stops the cluster)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${repo}/.venv"
sandbox_dir="${STOREFLEET_DEMO_DIR:-${repo}/.sandbox}"

for needed in "${venv}/bin/python" "${venv}/bin/storefleet" "${repo}/.tools/bin/kube-apiserver"; do
  if [[ ! -x "${needed}" ]]; then
    echo "demo: ${needed} is missing; run 'make tools' first." >&2
    exit 2
  fi
done

export PATH="${repo}/.tools/bin:${venv}/bin:${PATH}"
export ANSIBLE_CONFIG="${repo}/ansible.cfg"
export STOREFLEET_KUBECONFIG="${sandbox_dir}/kubeconfig"
cd "${repo}"

# Starts the cluster in the background, or says it is already running.
python -m storefleet_sandbox up --dir "${sandbox_dir}"

# Idempotent: a second demo finds the platform and the images in place.
echo "demo: installing the platform on the sandbox (Store CRD, RBAC, store cap, Gateway)..."
ansible-playbook -i inventories/sandbox storefleet.platform.platform >"${sandbox_dir}/platform.log" \
  || { echo "demo: the platform playbook failed; see ${sandbox_dir}/platform.log" >&2; exit 1; }
echo "demo: building the store images (the first time takes a while; see ${sandbox_dir}/images.log)..."
ansible-playbook -i inventories/sandbox storefleet.platform.images >"${sandbox_dir}/images.log" \
  || { echo "demo: the images playbook failed; see ${sandbox_dir}/images.log" >&2; exit 1; }

exec storefleet --inventory sandbox "$@"
