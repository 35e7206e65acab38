"""Helpers for running the project in development: tests and benchmarks share them."""
