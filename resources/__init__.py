"""Data files shipped with Newsmark. Read them through app.resources, never by path."""
