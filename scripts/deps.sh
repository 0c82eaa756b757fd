#!/usr/bin/env bash
# Installs what outagesim needs to build, test and plot, from Debian 12 packages only.
# Run as root (as CI is); as another user it only reports what is missing.
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libsimgrid-dev libboost-graph-dev libyaml-cpp-dev libspdlog-dev libfmt-dev
  catch2 libcli11-dev nlohmann-json3-dev libbz2-dev bzip2
  python3 python3-matplotlib python3-yaml python3-jsonschema   # jsonschema: the schema test
  libjs-chart.js chromium   # report.html's charts (inlined), and the test that opens it headless
  time   # /usr/bin/time: scripts/bench.sh suite (CPU time and peak RSS of each figure)
  libopenmpi-dev openmpi-bin   # optional for the build: the MPI back-end of compare and sweep
  clang libclang-rt-14-dev    # scripts/fuzz.sh: libFuzzer targets (OUTAGESIM_FUZZ=ON)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "outagesim: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "outagesim: run as root, or install them yourself: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
