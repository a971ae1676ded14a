"""QWidgets that bind to the view-models."""
