"""The `outreach` command: serve the API, migrate the database, import a gazetteer, preview
meeting groups, plan a season, manage accounts. One module per command; this one gathers them."""

from __future__ import annotations

import click

from outreach import __version__
from outreach.cli.backup import backup, restore
from outreach.cli.groups import groups
from outreach.cli.import_gazetteer import import_gazetteer
from outreach.cli.migrate import migrate
from outreach.cli.plan import plan
from outreach.cli.serve import serve
from outreach.cli.simulate import simulate
from outreach.cli.users import users


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="outreach")
def main() -> None:
    """Outreach: plan, run and measure a chamber of entrepreneurs' village outreach.

    Every setting can also be given as an OUTREACH_* environment variable (see the README).
    """


for command in (serve, simulate, backup, restore, migrate, import_gazetteer, groups, plan, users):
    main.add_command(command)

__all__ = ["main"]
