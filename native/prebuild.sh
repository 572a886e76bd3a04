#!/usr/bin/env bash
# Builds the sd_notify addon for linux-x64, linux-arm64 and linux-armv7 with Debian's
# compilers (apt: gcc, gcc-aarch64-linux-gnu, gcc-arm-linux-gnueabihf), into
# native/prebuilds/<platform>-<arch>/node.napi*.node where node-gyp-build finds them.
# N-API addons are independent of the Node version, so only Node's headers are needed
# (from the installed Node, or $NODE_HEADERS). Targets whose compiler is missing are skipped.
# Usage: native/prebuild.sh [all|x64|arm64|armv7]   ($PREBUILDS_DIR overrides native/prebuilds)
set -euo pipefail
cd "$(dirname "$0")"

headers="${NODE_HEADERS:-}"
if [ -z "$headers" ]; then
  for candidate in "$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")/include/node" /usr/include/node /usr/local/include/node; do
    if [ -f "$candidate/node_api.h" ]; then headers="$candidate"; break; fi
  done
fi
if [ -z "$headers" ] || [ ! -f "$headers/node_api.h" ]; then
  echo "prebuild: node_api.h not found; set NODE_HEADERS to Node's include/node directory" >&2
  exit 1
fi

build() { # compiler, output directory, file name
  local cc="$1" dir="${PREBUILDS_DIR:-prebuilds}/$2" file="$3"
  if ! command -v "$cc" >/dev/null 2>&1; then
    echo "prebuild: $cc not installed; skipping $2" >&2
    return 0
  fi
  mkdir -p "$dir"
  # Built under a private name and renamed: a concurrent build (two packaging builds from a
  # clean tree) never loads or hashes a half-written addon.
  local partial="$dir/.$file.$$"
  # -Wl,--unresolved-symbols: the napi_* symbols come from the node binary at load time.
  "$cc" -shared -fPIC -O2 -Wall -Wextra -DNAPI_VERSION=8 -DNODE_GYP_MODULE_NAME=takd_notify \
    -I"$headers" src/notify.c src/malloc-trim.c -o "$partial" -Wl,--unresolved-symbols=ignore-all
  mv -f "$partial" "$dir/$file"
  echo "prebuild: $dir/$file"
}

only="${1:-all}"
[ "$only" = all ] || [ "$only" = x64 ] && build "${CC_X64:-gcc}" linux-x64 node.napi.node
[ "$only" = all ] || [ "$only" = arm64 ] && build aarch64-linux-gnu-gcc linux-arm64 node.napi.node
[ "$only" = all ] || [ "$only" = armv7 ] && build arm-linux-gnueabihf-gcc linux-arm node.napi.armv7.node
exit 0
