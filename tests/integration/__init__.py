"""Tests with real files, processes and locks: storage, sessions, watching, presence, people."""
