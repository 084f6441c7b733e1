"""Interactive training explorers for the book (ipywidgets + matplotlib over mathlib)."""
