#!/usr/bin/env bash
# macOS: dist/Newsmark.app (PyInstaller, build.spec's BUNDLE) -> dist/newsmark-VERSION-macos-ARCH.dmg.
#
#     packaging/macos/build_dmg.sh          (on a Mac, in the project's virtualenv; see README.md)
#
# Signing: PyInstaller signs ad hoc, which runs on the Mac that built it; for other Macs set
# CODESIGN_IDENTITY="Developer ID Application: ..." (and notarize, README.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
[ "$(uname)" = Darwin ] || { echo "build_dmg: runs on macOS only (PyInstaller does not cross-compile)" >&2; exit 1; }
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' app/__init__.py)
arch=$(uname -m)
python=${PYTHON:-.venv/bin/python}

"$python" -m PyInstaller --noconfirm --log-level WARN build.spec
app=dist/Newsmark.app
[ -d "$app" ] || { echo "build_dmg: no $app" >&2; exit 1; }
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$app"
fi
codesign --verify --deep --strict "$app"
"$app/Contents/MacOS/Newsmark" --version

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
dmg=dist/newsmark-$version-macos-$arch.dmg
rm -f "$dmg"
hdiutil create -volname "Newsmark $version" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"
ls -l "$dmg"
