"""A calm light theme and a proper dark one: the Fusion style and a full QPalette.

The palette carries everything, including the Disabled group (greyed text must stay
readable in the dark); Fusion draws even the tooltip's frame from it. So there is no
application style sheet: one would wrap every widget in QStyleSheetStyle (slower item
views, and colleagues' widget sheets would cascade from it). If something ever needs one,
scope it to that widget. Widgets that draw their own colours (span highlights) ask
`is_dark()`.
"""
from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

LIGHT = {
    Role.Window: "#f4f4f1", Role.WindowText: "#1f2328", Role.Base: "#ffffff",
    Role.AlternateBase: "#f0f0ec", Role.ToolTipBase: "#fbfbf4", Role.ToolTipText: "#1f2328",
    Role.PlaceholderText: "#80858d", Role.Text: "#1f2328", Role.Button: "#ecece8",
    Role.ButtonText: "#1f2328", Role.BrightText: "#c4302b", Role.Light: "#ffffff",
    Role.Midlight: "#e2e2de", Role.Mid: "#c4c4bf", Role.Dark: "#9c9c97", Role.Shadow: "#5f5f5c",
    Role.Highlight: "#3a73b8", Role.HighlightedText: "#ffffff", Role.Link: "#1f5fad",
    Role.LinkVisited: "#6b3fa0",
}
LIGHT_DISABLED = {Role.WindowText: "#9a9ea5", Role.Text: "#9a9ea5", Role.ButtonText: "#9a9ea5",
                  Role.Highlight: "#b8c4d4", Role.HighlightedText: "#f4f4f1"}

DARK = {
    Role.Window: "#2b2d30", Role.WindowText: "#dfe1e5", Role.Base: "#1e1f22",
    Role.AlternateBase: "#26282b", Role.ToolTipBase: "#3c3f43", Role.ToolTipText: "#dfe1e5",
    Role.PlaceholderText: "#7f838a", Role.Text: "#dfe1e5", Role.Button: "#36383c",
    Role.ButtonText: "#dfe1e5", Role.BrightText: "#ff6b68", Role.Light: "#4a4d52",
    Role.Midlight: "#404347", Role.Mid: "#303236", Role.Dark: "#1a1b1d", Role.Shadow: "#000000",
    Role.Highlight: "#2f65ca", Role.HighlightedText: "#ffffff", Role.Link: "#6ea8fe",
    Role.LinkVisited: "#b391f5",
}
DARK_DISABLED = {Role.WindowText: "#6f737a", Role.Text: "#6f737a", Role.ButtonText: "#6f737a",
                 Role.Highlight: "#3d4147", Role.HighlightedText: "#8c9097",
                 Role.Base: "#232427", Role.Button: "#2e3033"}

THEMES = {"light": (LIGHT, LIGHT_DISABLED), "dark": (DARK, DARK_DISABLED)}

THEME_PROPERTY = "newsmark_theme"


def palette(name: str) -> QPalette:
    """The palette of theme `name` ("light" or "dark")."""
    try:
        colours, disabled = THEMES[name]
    except KeyError:
        raise ValueError(f"theme must be one of {', '.join(THEMES)}, not {name!r}") from None
    result = QPalette()
    for role, colour in colours.items():
        result.setColor(role, QColor(colour))
    result.setColor(Role.Accent, QColor(colours[Role.Highlight]))   # Qt 6.6+
    for role, colour in disabled.items():
        result.setColor(Group.Disabled, role, QColor(colour))
    return result


def apply_theme(app: QApplication, name: str, *, font_size: int | None = None) -> None:
    """Fusion and the theme's palette; `font_size` in points (None: keep the font)."""
    app.setStyle(QStyleFactory.create("Fusion"))
    app.setPalette(palette(name))
    app.setProperty(THEME_PROPERTY, name)
    if font_size:
        font = QFont(app.font())
        font.setPointSize(font_size)
        app.setFont(font)


def is_dark(app: QApplication | None = None) -> bool:
    app = app or QApplication.instance()
    return app is not None and app.property(THEME_PROPERTY) == "dark"
