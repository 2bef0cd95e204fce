#!/usr/bin/env bash
# Vendor the map's JavaScript libraries from the npm registry into graphkit/assets/vendor/.
#
# The HTML page inlines these files, so it works offline and the package needs no network at run
# time.  Run this (needs npm) to refresh them; it records name, version, licence, tarball
# integrity and each file's sha256 in graphkit/assets/vendor/VENDORED.json, and copies each
# package's licence text beside it.  Pin versions here, not in the page.
set -euo pipefail

PACKAGES=("sigma@3.0.3:dist/sigma.min.js" "graphology@0.26.0:dist/graphology.umd.min.js")

here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/graphkit/assets/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest"
command -v npm >/dev/null || { echo "error: npm not found; install Node.js/npm to vendor the map's libraries" >&2; exit 1; }

records=()
for spec in "${PACKAGES[@]}"; do
  pkg="${spec%%:*}"; file="${spec#*:}"
  name="${pkg%@*}"
  (cd "$work" && npm pack --silent "$pkg" >/dev/null)
  tarball="$(ls "$work"/"$name"-*.tgz)"
  mkdir -p "$work/$name"
  tar xzf "$tarball" -C "$work/$name"
  root="$work/$name/package"
  out="$name.min.js"
  cp "$root/$file" "$dest/$out"
  licence_file="$(ls "$root" | grep -iE '^licen[cs]e' | head -1)"
  cp "$root/$licence_file" "$dest/$name.LICENSE.txt"
  version="$(node -p "require('$root/package.json').version")"
  licence="$(node -p "require('$root/package.json').license")"
  integrity="$(cd "$work" && npm view --silent "$pkg" dist.integrity)"
  sha="$(sha256sum "$dest/$out" | cut -d' ' -f1)"
  records+=("{\"name\": \"$name\", \"version\": \"$version\", \"license\": \"$licence\", \"source\": \"npm:$name@$version/$file\", \"integrity\": \"$integrity\", \"file\": \"$out\", \"sha256\": \"$sha\", \"license_file\": \"$name.LICENSE.txt\"}")
  rm -f "$tarball"
  echo "vendored $name@$version ($licence) -> graphkit/assets/vendor/$out"
done
{
  echo "["
  for i in "${!records[@]}"; do
    sep=","; [ "$i" -eq $((${#records[@]} - 1)) ] && sep=""
    echo "  ${records[$i]}$sep"
  done
  echo "]"
} > "$dest/VENDORED.json"
