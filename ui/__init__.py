"""Qt only: windows, widgets, Qt item models, workers, actions."""
