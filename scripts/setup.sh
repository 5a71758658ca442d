#!/usr/bin/env bash
# Install what modrt needs to build and test on Debian 12 (idempotent).
set -euo pipefail
packages=(
  cmake ninja-build g++ pkg-config
  libboost-dev libboost-filesystem-dev libboost-program-options-dev
  libluajit-5.1-dev libyaml-cpp-dev libspdlog-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  json-schema-test-suite libssl-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
