"""`python -m sprintboard` is the `sprintboard` command."""

from .cli import main

raise SystemExit(main())
