#!/usr/bin/env bash
# Build the store-provisioner image:
#   docker/store-provisioner/build.sh <image:tag> [create]
# Packs this collection into _collection/ (what the image installs), then has
# ansible-builder build the image, or with `create` only write the build context
# (context/Containerfile), which needs no container engine.
set -euo pipefail
cd "$(dirname "$0")"
image=${1:?usage: build.sh <image:tag> [create]}
mode=${2:-build}
repo_root=$(cd ../.. && pwd)

# Pack what git tracks or would track (not build output such as node_modules or
# docker/*/out): a staging copy of those files is the collection.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
git -C "$repo_root" ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' file; do [[ -e $repo_root/$file ]] && printf '%s\0' "$file"; done \
  | tar -C "$repo_root" --null -T - -cf - | tar -C "$stage" -xf -
rm -rf _collection
mkdir -p _collection
ansible-galaxy collection build "$stage" --output-path _collection --force >/dev/null
# One stable name for requirements.yml, whatever the collection's version.
mv _collection/storefleet-platform-*.tar.gz _collection/storefleet-platform.tar.gz

# The checksum of the pinned Helm release: helm.sha256 when it is kept here, else the
# one Helm publishes beside the release.
helm_version=v3.22.0
if [[ -s helm.sha256 ]]; then
  helm_sha256=$(cut -d' ' -f1 helm.sha256)
elif [[ $mode == build ]]; then
  helm_sha256=$(curl -fsSL "https://get.helm.sh/helm-${helm_version}-linux-amd64.tar.gz.sha256sum" | cut -d' ' -f1)
else
  helm_sha256=unknown
fi

if [[ $mode == create ]]; then
  ansible-builder create --file execution-environment.yml --context context --output-filename Containerfile
else
  ansible-builder build --file execution-environment.yml --context context \
    --tag "$image" --build-arg "HELM_VERSION=$helm_version" --build-arg "HELM_SHA256=$helm_sha256"
fi
