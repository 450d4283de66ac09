"""The command line: ``recover run``, ``recover check`` (and ``recover flow …`` when flows are installed).

Errors are one line each on stderr, naming the file (and line or key): exit 2 for bad
usage, a bad rules file or an unreadable source; exit 1 when a run completed but some
table did not fully recover or validate; exit 0 otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from .errors import Interrupted, RecoverError

if TYPE_CHECKING:
    from .pipeline import DocumentResult, RunReport
    from .rules import Rules

EXIT_OK, EXIT_INCOMPLETE, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70

_F = TypeVar("_F", bound=Callable[..., Any])
#: A signal handler, as ``signal.signal`` takes and returns it.
_Handler = Callable[[int, FrameType | None], Any] | int | None


def _err(line: str) -> None:
    click.echo(line, err=True)


def _load_rules(path: str) -> Rules:
    from .rules import load_rules

    return load_rules(path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="recover")
def cli() -> None:
    """Recover tables whose cell boundaries were lost, and never guess."""


def run_options(command: _F) -> _F:
    """Given a click command, add the arguments and options of `recover run` (shared with `recover flow run`)."""
    for option in reversed(
        [
            click.argument("sources", nargs=-1),
            click.option(
                "--rules",
                "rules_path",
                type=click.Path(dir_okay=False),
                help="The rules file describing the document's tables.",
            ),
            click.option(
                "--out",
                "out",
                required=True,
                type=click.Path(file_okay=False),
                help="Output folder (replaced whole, atomically).",
            ),
            click.option("--no-validate", is_flag=True, help="Skip the Great Expectations validation stage."),
        ]
    ):
        command = option(command)
    return command


@cli.command("run")
@run_options
@click.option(
    "--spreadsheet-safe",
    is_flag=True,
    help="In the CSVs, a label that starts like a formula (= + - @) gets a leading ' (a spreadsheet shows it as text).",
)
def run_cmd(
    sources: tuple[str, ...], rules_path: str | None, out: str, no_validate: bool, spreadsheet_safe: bool
) -> int:
    """Run the whole pipeline on SOURCES (paths or URLs; default: the rules file's source)."""
    from .pipeline import run

    rules = _load_rules(rules_path) if rules_path is not None else None  # no rules: zero-config, inferred per document
    report = run(list(sources), rules, Path(out), validate=not no_validate, spreadsheet_safe=spreadsheet_safe)
    return print_report(report, rules)


#: Most line numbers listed in the one warning for a table's identical repeated rows.
DEFAULT_REPEATS_LISTED = 3


def _document_warnings(result: DocumentResult) -> list[str]:
    """Given a document's result, return its warnings as printed: a table's identical repeated rows, when there
    are several, in one warning for the table (how many, and the first few lines) instead of one each."""
    from .locate import repeat_warning

    summary_of: dict[str, str] = {}  # a repeated row's own warning -> its table's summary
    for sol in result.solutions:
        repeats = sorted(
            (r.row.line.number, r.row.duplicate_of, r.row.label)
            for r in sol.rows
            if r.status == "duplicate" and r.row.duplicate_of is not None
        )
        if len(repeats) < 2:
            continue
        lines = [str(line) for line, _, _ in repeats]
        listed = ", ".join(lines[:DEFAULT_REPEATS_LISTED]) + (", …" if len(lines) > DEFAULT_REPEATS_LISTED else "")
        summary = f"table {sol.table_id}: {len(lines)} repeated rows published once (lines {listed})"
        for line, first, label in repeats:
            summary_of[f"table {sol.table_id}: {repeat_warning(line, first, label)}"] = summary
    printed: list[str] = []
    said: set[str] = set()
    for w in result.warnings:
        of_table = summary_of.get(w)
        if of_table is None:
            printed.append(w)
        elif of_table not in said:  # where the table's first repeat was said
            said.add(of_table)
            printed.append(of_table)
    return printed


def print_report(report: RunReport, rules: Rules | None) -> int:
    """Given a run's report, print the summary (stdout) and one line per problem (stderr); return the exit status."""
    out = report.out
    for _, result in report.documents:
        for w in _document_warnings(result):
            _err(f"warning: {result.source.origin}: {w}")
    for name, result in report.documents:
        done, total = result.cells
        where = out / name if name else out
        click.echo(
            f"{result.source.origin}: {len(result.solutions)} tables, {done} of {total} cells recovered"
            f"{f' ({result.blanks} blank on the page)' if result.blanks else ''}"
            f"{f', {result.missing} rows missing' if result.missing else ''}, "
            f"{len(result.facts)} of {len(result.rules.facts)} facts -> {where}/"
        )
        if result.inferred_rules is not None:
            click.echo(f"  rules inferred (zero-config): {where / 'inferred-rules.yaml'}")
        if (where / "validation" / "index.html").exists():
            click.echo(f"  validation report: {where / 'validation' / 'index.html'}")
    for p in report.problems:
        _err(p)
    return EXIT_INCOMPLETE if report.problems else EXIT_OK


def _write_atomically(path: Path, data: bytes) -> None:
    """Given a path and bytes, write them there whole or not at all (a temporary file beside it, renamed); a file that
    was there keeps its mode, a new one takes the umask's (mkstemp's 0600 never outlives the write)."""
    from .review import replace_file

    path.absolute().parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, data)


@cli.command("infer")
@click.argument("source")
@click.option(
    "-o", "output", type=click.Path(dir_okay=False), default=None, help="Write the rules file here (default: stdout)."
)
def infer_cmd(source: str, output: str | None) -> int:
    """Infer the rules of SOURCE (zero-config mode) and write them as a rules file, without running the pipeline."""
    from .pipeline import extract, fetch, infer

    _, text, notes = infer(extract(fetch(source)))
    if text is None:  # no table read (or rules that would not load): no file, and the notes say why
        pass
    elif output is None:
        click.echo(text, nl=False)
    else:
        _write_atomically(Path(output), text.encode("utf-8"))
        click.echo(f"{source}: rules inferred -> {output}")
    for note in notes:
        _err(f"{source}: {note}")
    return EXIT_OK if text is not None else EXIT_INCOMPLETE


@cli.command("review")
@click.argument("out", type=click.Path(file_okay=False, exists=True))
@click.option(
    "--rules",
    "rules_path",
    required=True,
    type=click.Path(dir_okay=False, exists=True),
    help="The rules file to write the decisions into.",
)
@click.option(
    "--pick",
    "picks",
    multiple=True,
    metavar="TABLE:LABEL:COLUMN=VALUE",
    help="A decision: the value the page printed in that cell (repeatable).",
)
@click.option(
    "--add-label",
    "label_adds",
    multiple=True,
    metavar="TABLE:LABEL",
    help="Add a label the page prints to the table's label.values first (repeatable).",
)
@click.option(
    "--add-alias",
    "alias_adds",
    multiple=True,
    nargs=2,
    metavar="TABLE:LABEL SPELLING",
    help="Add SPELLING (how the page prints the label) to the label's label.aliases first (repeatable).",
)
def review_cmd(
    out: str,
    rules_path: str,
    picks: tuple[str, ...],
    label_adds: tuple[str, ...],
    alias_adds: tuple[tuple[str, str], ...],
) -> int:
    """Write a reviewer's decisions into the rules file's overrides:, keeping its comments and layout."""
    from .review import review

    warnings, written = review(Path(out), Path(rules_path), list(picks), label_adds, alias_adds)
    for w in warnings:
        _err(f"warning: {w}")
    if str(written) == rules_path:
        click.echo(f"{rules_path}: {len(picks)} decision(s) written to overrides:; run again to apply them")
    else:  # zero-config: the rules inside OUT are replaced by the next run, so the decision lives beside OUT
        click.echo(
            f"{written}: {len(picks)} decision(s) written to overrides: (not {rules_path}, which the next run "
            f"replaces); run again with --rules {written} to apply them"
        )
    return EXIT_OK


@cli.command("check")
@click.argument("rules_file", type=click.Path(dir_okay=False))
def check_cmd(rules_file: str) -> int:
    """Load and check a rules file without running anything."""
    rules = _load_rules(rules_file)
    click.echo(f"{rules_file}: ok ({len(rules.tables)} tables, {len(rules.facts)} facts)")
    return EXIT_OK


def _add_flow_commands() -> None:
    try:
        from recover.flows.cli import flow
    except ImportError:
        return
    cli.add_command(flow)


def _stop_on_signals() -> dict[int, _Handler]:
    """While a command runs, make SIGTERM and SIGHUP raise Interrupted (as SIGINT raises KeyboardInterrupt), so that
    cleanup runs and the exit is one line; return the handlers replaced. Only the main thread can set them."""
    import signal
    import threading

    saved: dict[int, _Handler] = {}
    if threading.current_thread() is not threading.main_thread():
        return saved

    def stop(signum: int, frame: FrameType | None) -> NoReturn:
        raise Interrupted(signum)

    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) in (signal.SIG_DFL, None):
            saved[sig] = signal.signal(sig, stop)
    return saved


def _restore_signals(saved: dict[int, _Handler]) -> None:
    import signal

    for sig, old in saved.items():
        signal.signal(sig, old)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return (and, as a script, exit with) its status; errors are one line each."""
    _add_flow_commands()
    saved = _stop_on_signals()
    status: int | None
    try:
        status = cli.main(args=argv, prog_name="recover", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as e:  # pragma: no cover - click >= 8.2
        click.echo(e.ctx.get_help() if e.ctx else str(e))
        status = EXIT_USAGE
    except click.UsageError as e:
        cmd = e.ctx.command_path if e.ctx else "recover"
        _err(f"{cmd}: {' '.join(e.format_message().split())} [usage]")
        status = EXIT_USAGE
    except click.exceptions.Abort:
        _err("recover: interrupted")
        status = 130
    except click.ClickException as e:
        _err(f"recover: {' '.join(e.format_message().split())}")
        status = e.exit_code
    except RecoverError as e:
        _err(e.line)
        status = EXIT_USAGE
    except KeyboardInterrupt:
        _err("recover: interrupted; the previous outputs are left as they were")
        status = 130
    except Interrupted as e:  # SIGTERM, SIGHUP (or SIGINT while outputs are staged): the staging folder is gone
        after = "after the new outputs were in place" if e.published else "; the previous outputs are left as they were"
        _err(f"recover: interrupted by {e.name}{' ' if e.published else ''}{after}")
        status = e.status
    except Exception as e:  # a bug, not bad input: still one line, with a distinct status
        _err(f"recover: internal error: {type(e).__name__}: {' '.join(str(e).split())} (please report it)")
        status = EXIT_INTERNAL
    finally:
        _restore_signals(saved)
    if status is None:
        status = EXIT_OK
    if argv is None:
        sys.exit(status)
    return status


if __name__ == "__main__":  # pragma: no cover
    main()
