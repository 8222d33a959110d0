"""The ``sulieu`` command: the jobs users run, on a data directory that is created and migrated first.

``sulieu --help`` lists the commands (management commands of the sulieu apps); ``sulieu manage …``
reaches any Django command. Errors in the set-up (bad DATABASE_URL, unwritable data directory) are
one clear line, not a traceback.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence

SULIEU_APPS = ("sulieu", "orgs", "archive", "search", "reading", "interop", "oversight", "contests", "books", "portal")
# Commands that must not touch the database before they run.
NO_DB_COMMANDS = frozenset({"restore"})


def _fail(message: str, code: int = 2) -> None:
    print(f"sulieu: error: {message}", file=sys.stderr)
    raise SystemExit(code)


def _mask(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sulieu.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        _fail(str(exc))


def sulieu_commands() -> dict[str, str]:
    """Command name (as typed, with hyphens) → Django command name."""
    from django.core.management import get_commands

    result = {}
    for name, app in get_commands().items():
        if app in SULIEU_APPS:
            result[name.replace("_", "-")] = name
    return result


def ensure_database(verbose: bool = True) -> None:
    """Connect (clear error if impossible) and apply pending migrations."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import Error as DatabaseError

    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        where = _mask(os.environ.get("DATABASE_URL", "")) or connection.settings_dict.get("NAME")
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _fail(f"cannot use the database {where}: {reason}")
    if plan:
        from django.core.management import call_command

        if verbose:
            print(f"sulieu: preparing the data directory ({len(plan)} migrations)…", file=sys.stderr)
        call_command("migrate", interactive=False, verbosity=0)


def print_help(commands: dict[str, str]) -> None:
    from django.core.management import load_command_class

    print("usage: sulieu COMMAND [options]   (sulieu COMMAND --help for its options)\n")
    print("Sử liệu — archive, search and compile Vietnamese local history.\n\ncommands:")
    from django.core.management import get_commands

    apps = get_commands()
    for typed, name in sorted(commands.items()):
        try:
            help_text = load_command_class(apps[name], name).help.strip().splitlines()[0]
        except Exception:  # a broken command must not hide the others
            help_text = ""
        print(f"  {typed:<14} {help_text}")
    print("  manage         any Django management command (sulieu manage migrate, …)")
    print("\nData directory: $SULIEU_DATA_DIR or ./var; database: $DATABASE_URL or SQLite in the data directory.")


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    _setup()
    from django.core.management import execute_from_command_line

    commands = sulieu_commands()
    if not args or args[0] in {"-h", "--help", "help"}:
        print_help(commands)
        return
    if args[0] in {"--version", "version"}:
        from sulieu import __version__

        print(__version__)
        return
    if args[0] == "manage":
        if len(args) > 1 and args[1] not in {"migrate", "help", "--help", "makemigrations"}:
            ensure_database()
        execute_from_command_line(["sulieu manage", *args[1:]])
        return
    name = commands.get(args[0]) or commands.get(args[0].replace("_", "-"))
    if name is None:
        _fail(f"unknown command {args[0]!r}; run 'sulieu --help' for the list")
    if name not in NO_DB_COMMANDS and not any(a in {"-h", "--help"} for a in args[1:]):
        ensure_database()
    execute_from_command_line(["sulieu", name, *args[1:]])  # usage then reads "sulieu ingest [-h] …"


if __name__ == "__main__":
    main()
