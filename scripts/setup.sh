#!/usr/bin/env bash
# Install what modrt needs to build and test on Debian 12, and fetch the LuaJIT
# source it builds (scripts/fetch_luajit.sh). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(
  cmake ninja-build g++ make
  dpkg-dev xz-utils  # apt-get source unpacks LuaJIT's Debian source package with them
  libboost-dev libboost-filesystem-dev libboost-program-options-dev
  libyaml-cpp-dev libspdlog-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  json-schema-test-suite libssl-dev
  pkgconf libnats-dev nats-server  # the NATS plugins and their tests (libs/nats.client)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -ne 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
scripts/fetch_luajit.sh
