"""Before Qt opens a window on Linux: say in one line what is missing, not "Aborted".

Qt's xcb platform plugin dlopen()s a handful of system libraries that a minimal Debian or
Ubuntu lacks (libxcb-cursor0 since Qt 6.5); without them Qt prints a long message and
aborts. `gui_problem()` checks first:

    line = gui_problem()
    if line:
        raise GuiUnavailable(line)
"""
from __future__ import annotations

import ctypes.util
import functools
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

# soname the xcb plugin needs -> the Debian/Ubuntu package that ships it
XCB_LIBRARIES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
}

Finder = Callable[[str], bool]     # soname -> present?


@functools.cache
def _ldconfig_sonames() -> frozenset[str]:
    for ldconfig in ("ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig"):
        try:
            out = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, timeout=10,
                                 check=False).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        return frozenset(line.split(" (", 1)[0].strip() for line in out.splitlines()[1:])
    return frozenset()


def library_present(soname: str) -> bool:
    """Whether the dynamic loader can find `soname` (ldconfig cache, then find_library)."""
    if soname in _ldconfig_sonames():
        return True
    stem = soname.removeprefix("lib").split(".so", 1)[0]
    found = ctypes.util.find_library(stem)
    return found is not None and Path(found).name == soname


def uses_xcb(environ: Mapping[str, str], system: str) -> bool:
    return system.startswith("linux") and environ.get("QT_QPA_PLATFORM", "xcb") in ("", "xcb")


def missing_xcb_libraries(*, environ: Mapping[str, str] | None = None,
                          system: str = sys.platform,
                          find: Finder = library_present) -> list[str]:
    """Sonames Qt's xcb plugin needs and cannot find; [] when xcb will not be used."""
    environ = os.environ if environ is None else environ
    if not uses_xcb(environ, system) or not environ.get("DISPLAY"):
        return []
    return [soname for soname in XCB_LIBRARIES if not find(soname)]


def explain_missing(missing: list[str]) -> str:
    """One line naming the packages to install; "" when nothing is missing."""
    if not missing:
        return ""
    packages = " ".join(dict.fromkeys(XCB_LIBRARIES.get(s, s) for s in missing))
    return (f"Qt cannot open a window: missing system package(s) {packages}; "
            f"install with: sudo apt-get install {packages}")


def no_display(*, environ: Mapping[str, str] | None = None, system: str = sys.platform) -> str:
    """One line when Linux has no display to open a window on; "" otherwise."""
    environ = os.environ if environ is None else environ
    if not uses_xcb(environ, system) or environ.get("DISPLAY"):
        return ""
    if environ.get("WAYLAND_DISPLAY") and "QT_QPA_PLATFORM" not in environ:
        return ""          # Qt picks its wayland plugin
    return ("Qt cannot open a window: no display (DISPLAY is not set); run Newsmark in a "
            "desktop session, over `ssh -X`, or use the command line (`newsmark --help`)")


def gui_problem(*, environ: Mapping[str, str] | None = None, system: str = sys.platform,
                find: Finder = library_present) -> str:
    """The one line that explains why no window can open, or "" when Qt should manage."""
    return (no_display(environ=environ, system=system)
            or explain_missing(missing_xcb_libraries(environ=environ, system=system, find=find)))
