# Helpers of the store images' build scripts (sourced, not run). The backend's
# and the storefront's build.sh skip each step whose inputs match the stamp
# its last successful run left. In an image build this directory is
# /build-lib, beside the build's /src.

# Prints a short hash of the given files and directories (recursively) and of
# the Node.js version, the inputs that decide whether a build step must run.
hash_of() {
  {
    node --version
    find "$@" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-16
}

read_stamp() {
  cat "$1" 2>/dev/null || true
}

step() {
  echo "==> $*" >&2
}
