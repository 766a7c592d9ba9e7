"""Tests of the project itself: lint and types, import layers and contracts, benchmarks."""
