"""`python -m outreach`: the `outreach` command (outreach/cli/, one module per command)."""

from __future__ import annotations

from outreach.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    main()
