"""Dialogs and secondary windows (GUI thread only)."""
