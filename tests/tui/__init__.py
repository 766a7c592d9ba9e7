"""Tests of the Textual app: Pilot tests, snapshots, the real executable."""
