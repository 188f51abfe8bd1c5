#!/usr/bin/env bash
# dist/Newsmark (the PyInstaller bundle) -> dist/newsmark_VERSION_ARCH.deb and
# dist/newsmark-VERSION-linux-ARCH.tar.gz, then lintian and desktop-file-validate.
#
#     packaging/linux/build_deb.sh [BUNDLE_DIR [OUT_DIR]]      (make installer runs it)
#
# The .deb installs the bundle in /opt/newsmark, `newsmark` in /usr/bin (a link), the
# .desktop entry, the icon and a man page. Depends is computed by dpkg-shlibdeps from the
# bundle's ELF files: the X/EGL/font libraries the bundle leaves to the system (build.spec,
# LINUX_SYSTEM_LIBS) must be installed here for that (packaging/linux/build_deps.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bundle=$(realpath "${1:-$root/dist/Newsmark}")
out=$(realpath -m "${2:-$root/dist}")
[ -x "$bundle/Newsmark" ] || { echo "build_deb: no bundle at $bundle (run pyinstaller build.spec)" >&2; exit 1; }

version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/app/__init__.py")
arch=$(dpkg --print-architecture)
maintainer=${NEWSMARK_MAINTAINER:-"Newsmark developers <newsmark@example.org>"}
homepage=${NEWSMARK_HOMEPAGE:-"https://example.org/newsmark"}
# Reproducible timestamps: the last commit's, else now.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pkg=$work/pkg
mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" \
         "$pkg/usr/share/icons/hicolor/256x256/apps" "$pkg/usr/share/icons/hicolor/scalable/apps" \
         "$pkg/usr/share/doc/newsmark" "$pkg/usr/share/man/man1" "$pkg/usr/share/lintian/overrides"

cp -a "$bundle" "$pkg/opt/newsmark"
ln -s /opt/newsmark/Newsmark "$pkg/usr/bin/newsmark"
install -m 644 "$here/newsmark.desktop" "$pkg/usr/share/applications/newsmark.desktop"
install -m 644 "$root/resources/icons/newsmark.png" "$pkg/usr/share/icons/hicolor/256x256/apps/newsmark.png"
install -m 644 "$root/resources/icons/newsmark.svg" "$pkg/usr/share/icons/hicolor/scalable/apps/newsmark.svg"
install -m 644 "$here/copyright" "$pkg/usr/share/doc/newsmark/copyright"
install -m 644 "$here/lintian-overrides" "$pkg/usr/share/lintian/overrides/newsmark"
sed "s/@VERSION@/$version/" "$here/newsmark.1" | gzip -9n > "$pkg/usr/share/man/man1/newsmark.1.gz"
{
  echo "newsmark ($version) unstable; urgency=medium"
  echo
  echo "  * Release $version, built from $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo 'a source tree')."
  echo
  echo " -- $maintainer  $(date -R -u -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$pkg/usr/share/doc/newsmark/changelog.gz"

# Modes lintian expects: data files 644, executables (ELF programs) and dirs 755.
find "$pkg" -type d -exec chmod 755 {} +
find "$pkg/opt" -type f -exec chmod 644 {} +
chmod 755 "$pkg/opt/newsmark/Newsmark"

# Depends: what the bundle's ELF files need from the system. Wayland's plugins are left
# out (Recommends: X11 through XWayland works without them), so is the GTK platform theme
# (loaded only on a GTK desktop, which has GTK).
mkdir -p "$work/debian"
printf 'Source: newsmark\n\nPackage: newsmark\nArchitecture: any\n' > "$work/debian/control"
mapfile -t elves < <(find "$pkg/opt/newsmark" -type f \( -name '*.so' -o -name '*.so.*' -o -name Newsmark \) \
  ! -path '*/plugins/wayland-*' ! -name 'libqwayland*.so' ! -name 'libQt6WaylandClient*' \
  ! -name 'libqgtk3.so' | sort)
libdirs=$(find "$pkg/opt/newsmark" -type f -name '*.so*' -printf '%h\n' | sort -u | sed 's/^/-l/')
# shellcheck disable=SC2086
depends=$(cd "$work" && dpkg-shlibdeps -O --ignore-missing-info $libdirs "${elves[@]}" 2>"$work/shlibdeps.err" \
          | sed -n 's/^shlibs:Depends=//p') || { cat "$work/shlibdeps.err" >&2; exit 1; }
[ -n "$depends" ] || { echo "build_deb: dpkg-shlibdeps found no dependencies" >&2; cat "$work/shlibdeps.err" >&2; exit 1; }
# dpkg-shlibdeps also names the system packages of libraries the bundle carries itself
# (libssl3, libffi8, ...): those are not dependencies.
bundled=$(for f in "$pkg"/opt/newsmark/_internal/*.so*; do
            dpkg -S "*/$(basename "$f")" 2>/dev/null | sed 's/[:,].*//'
          done | sort -u | paste -sd'|' -)
if [ -n "$bundled" ]; then
  depends=$(printf '%s\n' "$depends" | sed 's/, /\n/g' | grep -Ev "^($bundled)( |$)" | paste -sd, - | sed 's/,/, /g')
fi

installed_size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s|@MAINTAINER@|$maintainer|" \
    -e "s|@HOMEPAGE@|$homepage|" -e "s/@INSTALLED_SIZE@/$installed_size/" \
    -e "s/@DEPENDS@/$depends/" "$here/control.in" > "$pkg/DEBIAN/control"
find "$pkg" -newermt "@$SOURCE_DATE_EPOCH" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$out"
deb=$out/newsmark_${version}_${arch}.deb
tarball=$out/newsmark-$version-linux-$(uname -m).tar.gz
dpkg-deb --root-owner-group -Zxz -z6 --build "$pkg" "$deb" >/dev/null
# The .tar.gz: the bundle alone, as newsmark-VERSION/ (run ./newsmark-VERSION/Newsmark).
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
    -C "$pkg/opt" --transform "s|^newsmark|newsmark-$version|" -cf - newsmark | gzip -n > "$tarball"

desktop-file-validate "$pkg/usr/share/applications/newsmark.desktop"
# lintian: errors fail the build; warnings are printed. Tags that come with any
# self-contained bundle in /opt are overridden, with the reason, in lintian-overrides.
lintian --tag-display-limit 0 "$deb" > "$work/lintian.txt" 2>&1 || true
cat "$work/lintian.txt"
if grep -q '^E:' "$work/lintian.txt"; then
  echo "build_deb: lintian reported errors" >&2
  exit 1
fi
echo "Depends: $depends"
ls -l "$deb" "$tarball"
