# Storefleet — start here.
#
#   make up            the local platform on k3d (needs Docker), then the TUI
#   make demo          the same on the sandbox cluster, stores served on its real node
#   make test          install what the tests need, lint, run every test layer
#
# Everything is pinned and installed by `make tools` (tools/install.sh): the virtualenv
# (.venv), the Debian packages and the sandbox binaries (.tools/bin, built once per
# version and cached in ~/.cache/storefleet/tools).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := $(CURDIR)/.venv
export PATH := $(CURDIR)/.tools/bin:$(VENV)/bin:$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
PYTEST := $(VENV)/bin/pytest
SANDBOX_DIR := $(CURDIR)/.sandbox
# The roles with Molecule scenarios (roles/<role>/molecule/<scenario>/).
MOLECULE_ROLES := platform store argo awx images cluster

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

# --- Main job -------------------------------------------------------------------------

.PHONY: up
up: venv ## Local platform on k3d (cluster, images, Argo, Store platform), then the TUI
	ansible-playbook -i inventories/local playbooks/site.yml
	@if [ -z "$${STOREFLEET_NO_TUI:-}" ]; then $(VENV)/bin/storefleet --inventory local; fi

.PHONY: down
down: venv ## Delete the local k3d cluster and its registry
	ansible-playbook -i inventories/local playbooks/teardown.yml

.PHONY: user-tools
user-tools: ## Fetch pinned k3d, helm and kubectl (sha256-checked) into .tools/bin
	tools/fetch_user_tools.sh

.PHONY: demo
demo: tools ## Try Storefleet without Docker: sandbox with a real node, platform, images, then the TUI
	STOREFLEET_DEMO_DIR=$(SANDBOX_DIR) tui/demo.sh

.PHONY: tui
tui: venv ## The TUI (INVENTORY=local|prod|sandbox|path; default: settings file, else sandbox)
	$(VENV)/bin/storefleet $(if $(INVENTORY),--inventory $(INVENTORY))

# --- Tools and tests ------------------------------------------------------------------

.PHONY: venv
venv: ## Only the Python virtualenv (.venv), what `make up` needs
	tools/install.sh venv

.PHONY: tools
tools: ## Install system packages, the virtualenv and the sandbox binaries
	tools/install.sh all

.PHONY: test
test: tools lint test-unit test-integration faults test-molecule e2e ## Everything: tools, lint and every test layer, the fault suite included

.PHONY: test-unit
test-unit: ## Unit tests (no cluster), one worker per core
	$(PYTEST) -n auto tests/unit

.PHONY: test-integration
test-integration: ## Integration tests on a fresh sandbox cluster (its lifecycle test first, alone)
	$(PYTEST) tests/integration/test_sandbox_lifecycle.py
	$(PYTEST) tests/integration --ignore=tests/integration/test_sandbox_lifecycle.py --durations=25

.PHONY: faults
faults: ## Fault suite on its own sandbox (simulated nodes), then its table: fault, step, outcome, seconds
	STOREFLEET_SANDBOX_REAL_NODES=0 $(PYTEST) tests/faults

.PHONY: test-molecule
test-molecule: ## The Molecule scenarios `make test` runs (README: what `make test` installs and runs)
	cd roles/platform && molecule test -s default
	cd roles/images && molecule test -s default
	cd roles/cluster && molecule test -s default

.PHONY: molecule
molecule: ## Every role's Molecule scenarios, each on a sandbox of its own (docs/molecule.md)
	for role in $(MOLECULE_ROLES); do (cd roles/$$role && molecule test --all); done

.PHONY: test-snapshot-update
test-snapshot-update: ## Regenerate the TUI snapshots (review the SVG diff before committing)
	$(PYTEST) tests/unit/tui/test_snapshots.py --snapshot-update

.PHONY: e2e
e2e: ## Store app end to end: Medusa + storefront + PostgreSQL + Redis + Chromium
	tests/e2e/run.sh

.PHONY: bench
bench: ## Benchmarks: sandbox start, and each area's numbers
	@for bench in tests/bench/*.py; do echo "== $$bench"; $(VENV)/bin/python "$$bench"; done

# --- Sandbox cluster ------------------------------------------------------------------

.PHONY: sandbox
sandbox: ## Start the sandbox cluster in the background (kubeconfig in .sandbox/kubeconfig)
	$(VENV)/bin/python -m storefleet_sandbox up --dir $(SANDBOX_DIR)

.PHONY: sandbox-down
sandbox-down: ## Stop the sandbox cluster
	$(VENV)/bin/python -m storefleet_sandbox down --dir $(SANDBOX_DIR)

# --- Lint -----------------------------------------------------------------------------

.PHONY: lint
lint: ## ansible-lint (production), yamllint, ruff, mypy, import contracts, helm lint, hadolint
	yamllint --strict .
	ansible-lint --offline
	ruff check .
	ruff format --check .
	mypy --config-file tui/mypy.ini
	lint-imports --config tui/.importlinter
	hadolint docker/*/Dockerfile
	helm lint --strict charts/store
	for values in charts/store/ci/*-values.yaml; do helm lint --quiet --strict charts/store -f "$$values"; done
