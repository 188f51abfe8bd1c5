#!/usr/bin/env bash
# The built .deb (and .tar.gz), unpacked and used like an annotator would, with the frozen
# binary only: no source tree, no virtualenv on its path.
#
#     packaging/test_installer.sh [DIST_DIR]        (make test-installer builds, then runs it)
#
# Checks the package's files, then runs packaging/test_frozen.sh on the unpacked binary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dist=$(realpath "${1:-$root/dist}")
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/app/__init__.py")
deb=$(ls "$dist"/newsmark_"$version"_*.deb)
tarball=$(ls "$dist"/newsmark-"$version"-linux-*.tar.gz)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== unpacking $(basename "$deb") ($(du -h "$deb" | cut -f1)) into a temporary root"
dpkg-deb -x "$deb" "$tmp/root"
dpkg-deb -f "$deb" Depends | grep -q 'libxcb-cursor0' || { echo "FAIL: Depends lacks Qt's X libraries"; exit 1; }
[ "$(readlink "$tmp/root/usr/bin/newsmark")" = /opt/newsmark/Newsmark ] || { echo "FAIL: /usr/bin/newsmark"; exit 1; }
for f in usr/share/applications/newsmark.desktop usr/share/icons/hicolor/256x256/apps/newsmark.png \
         usr/share/icons/hicolor/scalable/apps/newsmark.svg opt/newsmark/_internal/resources/schema.json; do
  [ -f "$tmp/root/$f" ] || { echo "FAIL: the package has no $f"; exit 1; }
done
desktop-file-validate "$tmp/root/usr/share/applications/newsmark.desktop"

"$root/packaging/test_frozen.sh" "$tmp/root/opt/newsmark/Newsmark"

echo "== the .tar.gz"
mkdir "$tmp/tar" && tar -xzf "$tarball" -C "$tmp/tar"
[ "$("$tmp/tar/newsmark-$version/Newsmark" --version)" = "newsmark $version" ] || { echo "FAIL: .tar.gz --version"; exit 1; }
echo "installer test passed: $(basename "$deb"), $(basename "$tarball")"
