"""Invitations: who may join which board through the SSH entry, and with what code or key.

Filled in by the invitations work (README, "Invitations").
"""
