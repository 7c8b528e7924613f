#!/usr/bin/env bash
# CI's proof that the frozen bundle works with the locked versions: build it and run
# packaging/check_bundle.sh (offline aligner, the tiny CTC and Qwen3 models in the frozen CLI, the
# frozen editor), whenever what the bundle is made of changed since it was last proven here.
#
#   bash packaging/prove_bundle.sh        build and check, unless these inputs were proven on this machine
#   WORDSYNC_PROVE_BUNDLE=1 bash ...      build and check in any case
#   WORDSYNC_PROVE_BUNDLE=0 bash ...      skip (and say so)
#   bash packaging/prove_bundle.sh --digest   print the digest of the inputs and stop
#
# The inputs: pyproject.toml and every file under packaging/ (the lock files, the spec, the entry
# script, these scripts), the Python version, WORDSYNC_TORCH and the machine's architecture. CI clones
# afresh each run, so the digests already proven live outside the repository, one file each in
# $WORDSYNC_CI_CACHE (default /var/cache/wordsync-ci); a new machine has none and always proves.
# Changes to aligner_core/ or desktop/ alone do not trigger a build (the test suite covers them);
# WORDSYNC_PROVE_BUNDLE=1 forces one. Exits non-zero when the build or the check fails.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
venv="${WORDSYNC_VENV:-$here/.venv}"
cache="${WORDSYNC_CI_CACHE:-/var/cache/wordsync-ci}"
mode="${WORDSYNC_PROVE_BUNDLE:-auto}"

if [ "$mode" = "0" ]; then
  echo "prove_bundle: skipped (WORDSYNC_PROVE_BUNDLE=0)"; exit 0
fi

[ -x "$venv/bin/python" ] || bash packaging/dev.sh setup   # a new machine: the digest names its Python

inputs() {
  # file names and contents, in a fixed order, so the digest is the same on every clone
  find pyproject.toml packaging -type f ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum
  "$venv/bin/python" -c 'import sys; print(sys.version)'
  echo "torch: ${WORDSYNC_TORCH:-locked}"
  uname -m
}
digest="$(inputs | sha256sum | cut -c1-16)"
marker="$cache/bundle-proven-$digest"
if [ "${1:-}" = "--digest" ]; then echo "$digest"; exit 0; fi

if [ "$mode" != "1" ] && [ -f "$marker" ]; then
  echo "prove_bundle: these bundle inputs ($digest) were already proven on this machine: $(head -n1 "$marker")"
  echo "prove_bundle: skipped the build (WORDSYNC_PROVE_BUNDLE=1 forces it)"
  exit 0
fi

echo "prove_bundle: building and checking the bundle for inputs $digest"
bash packaging/dev.sh setup   # the venv as the lock files say (at once when it already is)
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
start=$(date +%s)
status=0
# check_bundle.sh builds first (no --reuse); a hung build or editor must not eat all of CI's time
timeout "${WORDSYNC_BUNDLE_TIMEOUT:-2400}" bash packaging/check_bundle.sh 2>&1 | tee "$log" || status=$?
took=$(( $(date +%s) - start ))

if [ "${CI:-}" = "true" ]; then
  rm -rf dist/wordsync build/pyinstaller   # 1.5 GB in a clone that is thrown away
fi
if [ "$status" -ne 0 ]; then
  [ "$status" -eq 124 ] && echo "prove_bundle: FAIL: the build and check took over ${WORDSYNC_BUNDLE_TIMEOUT:-2400} s" >&2
  echo "prove_bundle: FAIL: the frozen bundle does not work with these inputs ($digest); see above" >&2
  exit 1
fi

summary="$(grep '^bundle: ' "$log" | tail -n1)"
if mkdir -p "$cache" 2>/dev/null &&
   printf '%s, %s s to build and check; %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$took" "$summary" \
     > "$marker.tmp" 2>/dev/null && mv "$marker.tmp" "$marker"; then
  echo "prove_bundle: ok in $took s; recorded $marker"
else
  echo "prove_bundle: ok in $took s; could not record it in $cache (the next run builds again)"
fi
