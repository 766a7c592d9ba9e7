"""The git fixtures for this folder's tests (defined in `git_repo`, which others import)."""

from .git_repo import git_env, repo

__all__ = ["git_env", "repo"]
