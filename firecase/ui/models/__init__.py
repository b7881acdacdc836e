"""Item models over service DTOs (GUI thread only; data() never queries)."""
