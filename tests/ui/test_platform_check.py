"""One clear line when Qt cannot open a window on Linux; the light and dark themes."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from ui.platform_check import (XCB_LIBRARIES, explain_missing, gui_problem, library_present,
                               missing_xcb_libraries, no_display)

X11 = {"DISPLAY": ":0"}


def finder(*missing: str):
    asked = []

    def find(soname: str) -> bool:
        asked.append(soname)
        return soname not in missing
    find.asked = asked
    return find


def test_platform_check_lists_missing_sonames_in_order():
    find = finder("libEGL.so.1", "libxcb-cursor.so.0")
    assert missing_xcb_libraries(environ=X11, system="linux", find=find) == [
        "libxcb-cursor.so.0", "libEGL.so.1"]
    assert find.asked == list(XCB_LIBRARIES)


@pytest.mark.parametrize("environ, system", [
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux"),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland"}, "linux"),
    ({"DISPLAY": ":0"}, "win32"),
    ({"DISPLAY": ":0"}, "darwin"),
    ({}, "linux"),                      # no display: that is the problem, not libraries
])
def test_platform_check_only_checks_when_xcb_will_be_used(environ, system):
    find = finder(*XCB_LIBRARIES)
    assert missing_xcb_libraries(environ=environ, system=system, find=find) == []
    assert find.asked == []


def test_platform_check_explains_in_one_line_with_the_apt_command():
    line = explain_missing(["libxcb-cursor.so.0", "libxkbcommon-x11.so.0"])
    assert line == ("Qt cannot open a window: missing system package(s) libxcb-cursor0 "
                    "libxkbcommon-x11-0; install with: sudo apt-get install libxcb-cursor0 "
                    "libxkbcommon-x11-0")
    assert explain_missing([]) == ""


@pytest.mark.parametrize("environ, expected", [
    ({}, "no display"),
    ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "no display"),
    ({"WAYLAND_DISPLAY": "wayland-0"}, ""),
    ({"DISPLAY": ":1"}, ""),
    ({"QT_QPA_PLATFORM": "offscreen"}, ""),
])
def test_platform_check_no_display(environ, expected):
    line = no_display(environ=environ, system="linux")
    assert (expected in line) if expected else line == ""
    assert "\n" not in line


def test_platform_check_gui_problem_combines_both():
    assert "no display" in gui_problem(environ={}, system="linux", find=finder())
    assert "libegl1" in gui_problem(environ=X11, system="linux", find=finder("libEGL.so.1"))
    assert gui_problem(environ=X11, system="linux", find=finder()) == ""


def test_platform_check_real_finder_knows_libc_and_not_nonsense():
    assert library_present("libc.so.6")
    assert not library_present("libnewsmark-does-not-exist.so.7")


# --- themes (ui/theme.py) ---------------------------------------------------------------------

@pytest.fixture
def app_look(qapp):
    """Put the application's look back after a test changes it."""
    style, palette, sheet, font = (qapp.style().name(), QPalette(qapp.palette()),
                                   qapp.styleSheet(), qapp.font())
    yield qapp
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
    qapp.setProperty("newsmark_theme", None)


def lightness(palette: QPalette, role, group=QPalette.ColorGroup.Active) -> int:
    return palette.color(group, role).lightness()


@pytest.mark.parametrize("name", ["light", "dark"])
def test_theme_applies_fusion_and_a_readable_palette(app_look, qtbot, name):
    from PySide6.QtWidgets import QLineEdit
    from ui.theme import apply_theme, is_dark
    apply_theme(app_look, name, font_size=13)
    palette = QApplication.palette()
    assert app_look.style().name().lower() == "fusion"
    assert is_dark(app_look) == (name == "dark")
    text, base = QPalette.ColorRole.Text, QPalette.ColorRole.Base
    assert abs(lightness(palette, text) - lightness(palette, base)) > 150   # contrast
    assert (lightness(palette, base) < 128) == (name == "dark")
    disabled = QPalette.ColorGroup.Disabled
    assert palette.color(disabled, text) != palette.color(text)             # greyed, visible
    assert abs(lightness(palette, text, disabled) - lightness(palette, base, disabled)) > 40
    edit = QLineEdit()
    qtbot.addWidget(edit)
    assert edit.palette().color(base) == palette.color(base)
    assert edit.font().pointSize() == 13
    assert app_look.styleSheet() == ""                 # the palette does it all


def test_theme_unknown_name_is_refused(app_look):
    from ui.theme import apply_theme
    with pytest.raises(ValueError, match="light, dark"):
        apply_theme(app_look, "neon")
