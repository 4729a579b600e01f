#!/usr/bin/env bash
# Build the store-provisioner image:
#   docker/store-provisioner/build.sh <image:tag> [create]
# Packs this collection and kubernetes.core into _collection/ and puts the pinned helm
# into _helm/ (what the image installs), then has ansible-builder build the image, or
# with `create` only write the build context (context/Containerfile), which needs no
# container engine (roles/images builds that context with docker or buildah).
#
# helm: the release tarball from get.helm.sh, checked against the sha256 pinned in
# tools/user-tools.sha256; STOREFLEET_HELM_BINARY names a helm of the same version
# instead (a machine that cannot reach get.helm.sh builds it from its Go module).
set -euo pipefail
cd "$(dirname "$0")"
image=${1:?usage: build.sh <image:tag> [create]}
mode=${2:-build}
repo_root=$(cd ../.. && pwd)
helm_version=v3.22.0

# Pack what git tracks or would track (not build output such as node_modules or
# docker/*/out): a staging copy of those files is the collection.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
git -C "$repo_root" ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' file; do [[ -e $repo_root/$file ]] && printf '%s\0' "$file"; done \
  | tar -C "$repo_root" --null -T - -cf - | tar -C "$stage/" -xf -
rm -rf _collection _helm
mkdir -p _collection _helm
ansible-galaxy collection build "$stage" --output-path _collection --force >/dev/null
# One stable name for requirements.yml, whatever the collection's version.
mv _collection/storefleet-platform-*.tar.gz _collection/storefleet-platform.tar.gz

# kubernetes.core as the project's pinned `ansible` package ships it, packed again as a
# collection artifact (the package leaves out files its FILES.json still lists).
python=${PYTHON:-$repo_root/.venv/bin/python}
"$python" - "$stage/kubernetes-core" <<'PY'
import json, pathlib, shutil, sys

import ansible_collections.kubernetes.core as core
import yaml

source = pathlib.Path(core.__path__[0])
target = pathlib.Path(sys.argv[1])
shutil.copytree(source, target, ignore=shutil.ignore_patterns("FILES.json", "MANIFEST.json", "__pycache__"))
info = json.loads((source / "MANIFEST.json").read_text())["collection_info"]
keys = ("namespace", "name", "version", "readme", "authors", "description", "license",
        "tags", "dependencies", "repository", "documentation", "homepage", "issues")
galaxy = {key: info[key] for key in keys if info.get(key)}
(target / "galaxy.yml").write_text(yaml.safe_dump(galaxy))
PY
ansible-galaxy collection build "$stage/kubernetes-core" --output-path "$stage" --force >/dev/null
mv "$stage"/kubernetes-core-*.tar.gz _collection/kubernetes-core.tar.gz

if [[ -n ${STOREFLEET_HELM_BINARY:-} ]]; then
  [[ $("$STOREFLEET_HELM_BINARY" version --short) == "$helm_version"* ]] \
    || { echo "error: $STOREFLEET_HELM_BINARY is not helm $helm_version" >&2; exit 1; }
  install -m 0755 "$STOREFLEET_HELM_BINARY" _helm/helm
else
  sha256=$(awk -v v="$helm_version" '$1 == "helm" && $2 == v && $3 == "linux-amd64" {print $4}' \
    "$repo_root/tools/user-tools.sha256")
  curl -fsSLo "$stage/helm.tar.gz" "https://get.helm.sh/helm-${helm_version}-linux-amd64.tar.gz"
  echo "${sha256}  $stage/helm.tar.gz" | sha256sum --check --strict --quiet -
  tar -xzf "$stage/helm.tar.gz" -C _helm --strip-components=1 linux-amd64/helm
fi

if [[ $mode == create ]]; then
  ansible-builder create --file execution-environment.yml --context context --output-filename Containerfile
else
  ansible-builder build --file execution-environment.yml --context context --tag "$image"
fi
