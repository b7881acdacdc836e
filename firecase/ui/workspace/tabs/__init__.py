"""The tabs of the case workspace, one module per part of the work."""
