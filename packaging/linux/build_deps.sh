#!/usr/bin/env bash
# The system tools `make installer` needs (strip/readelf, dpkg-shlibdeps, lintian,
# desktop-file-validate) and the libraries the bundle leaves to the system (Qt's X/EGL
# stack: dpkg-shlibdeps must find them to compute Depends, and the frozen app to run).
# Installed with apt-get when running as root on Debian/Ubuntu, as .ci/run does; otherwise
# this says what is missing.
set -euo pipefail
tools=(readelf strip dpkg-deb dpkg-shlibdeps lintian desktop-file-validate)
packages=(binutils dpkg-dev lintian desktop-file-utils fakeroot
          libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
          libxcb-randr0 libxcb-shape0 libxcb-sync1 libxcb-xfixes0 libxcb-xkb1 libxcb-glx0
          libxkbcommon-x11-0 libx11-xcb1 libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0)

missing_packages() {
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
  done
}

mapfile -t missing < <(missing_packages)
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
for t in "${tools[@]}"; do
  command -v "$t" >/dev/null 2>&1 || { echo "missing tool $t: sudo apt-get install ${missing[*]}" >&2; exit 1; }
done
echo "warning: not installed: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
