"""Analyses: pure functions of a Design (no I/O, no agent calls)."""
