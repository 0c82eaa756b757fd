#!/usr/bin/env bash
# Downloads the public AS-relationship graphs outagesim's tests and benchmarks use when
# ../shared/data is absent (as on a user's machine):
#   CAIDA AS relationships, serial-1, January 2018 (60,006 ASes, 261,340 links)
#     https://publicdata.caida.org/datasets/as-relationships/serial-1/
# Usage: scripts/get-data.sh [DIR]   (default: ${XDG_CACHE_HOME:-~/.cache}/outagesim)
# Then: outagesim routes --caida DIR/20180101.as-rel.txt.bz2 --origin 32934
#       scripts/bench.sh DIR/20180101.as-rel.txt.bz2
# The data stays outside the repository: CAIDA's terms ask users to fetch it from CAIDA.
set -euo pipefail
dir=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/outagesim}
mkdir -p "$dir"
url=https://publicdata.caida.org/datasets/as-relationships/serial-1/20180101.as-rel.txt.bz2
out="$dir/20180101.as-rel.txt.bz2"
if [ -s "$out" ]; then
  echo "already there: $out"
  exit 0
fi
command -v curl >/dev/null || { echo "get-data.sh: needs curl (apt-get install curl)" >&2; exit 1; }
curl -fL --retry 3 -o "$out.part" "$url"
bzip2 -t "$out.part"  # a truncated download fails here, not later in a run
mv "$out.part" "$out"
echo "downloaded: $out"
