#!/usr/bin/env bash
# Fetch the LuaJIT that function.lua links: Debian's source package luajit2
# (OpenResty's maintained LuaJIT 2.1 branch) at the version pinned in
# cmake/luajit2.version, patched as Debian ships it, into .deps/luajit2-<upstream>/.
# CMake builds it from there with LUAJIT_ENABLE_CHECKHOOK (cmake/LuaJIT.cmake);
# nothing is fetched at build time. Idempotent: does nothing when the source is there.
#
# The system's apt configuration is left alone: a private sources list (the system's
# Debian entries with `Types: deb-src`), lists and cache under .deps/apt/. Needs
# dpkg-dev (dpkg-source unpacks the package); no root.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(tr -d '[:space:]' < cmake/luajit2.version)  # Debian version, e.g. 2.1-20230119-1
upstream=${version%-*}
dest=.deps/luajit2-$upstream
[ -f "$dest/src/luajit.h" ] && exit 0

apt_dir=$PWD/.deps/apt
rm -rf "$apt_dir"
mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
# deb822 files (Debian 12's default) and one-line lists alike.
shopt -s nullglob
for f in /etc/apt/sources.list.d/*.sources; do
  sed -E 's/^Types:.*/Types: deb-src/' "$f" > "$apt_dir/sources.list.d/$(basename "$f")"
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] && sed -nE 's/^deb[[:space:]]/deb-src /p' "$f" > "$apt_dir/sources.list.d/$(basename "$f")"
done
touch "$apt_dir/empty.list"
apt=(-o "Dir::Etc::SourceList=$apt_dir/empty.list" -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
     -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "APT::Sandbox::User=root")
apt-get "${apt[@]}" update -qq
work=$(mktemp -d "$PWD/.deps/fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
# apt-get source checks the files against the signed Sources index before dpkg-source unpacks them.
(cd "$work" && apt-get "${apt[@]}" source -qq --only-source "luajit2=$version")
mv "$work/luajit2-$upstream" "$dest"
rm -rf "$apt_dir"
echo "fetched luajit2 $version into $dest"
