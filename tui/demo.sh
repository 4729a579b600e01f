#!/usr/bin/env bash
# Try Storefleet without Docker: the sandbox cluster (real control plane, simulated
# nodes), the platform installed on it, then the TUI on inventory `sandbox`.
# The TUI shows a banner there: nodes are simulated, so stores are not served.
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

# Idempotent: a second demo finds the platform in place and changes nothing.
echo "demo: installing the platform on the sandbox (Store CRD, RBAC, store cap)..."
ansible-playbook -i inventories/sandbox storefleet.platform.platform >"${sandbox_dir}/platform.log" \
  || { echo "demo: the platform playbook failed; see ${sandbox_dir}/platform.log" >&2; exit 1; }

exec storefleet --inventory sandbox "$@"
