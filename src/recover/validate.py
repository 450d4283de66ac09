"""Validate: Great Expectations suites built from each table's rules, validated in one run, Data Docs for reviewers.

Per table, up to three batches are validated:

- ``<table>``: the published CSV: its columns in order, labels present, unique and in the
  vocabulary, every numeric cell determined (not null) and an integer;
- ``<table>.rules``: one column per row rule holding each row's residual
  (``left - right``), expected to be 0 (GX's multicolumn sum is a constant, so a rule is
  checked as a residual);
- ``<table>.totals``: per numeric column, the body rows' sum less the totals row, expected
  to be 0 (complete totals) or at most 0 (partial), and the body sums against totals known
  from the prose.

The suites depend only on the rules, so they are kept under ``expectations/`` and
regenerated identically on every run. Results and the Data Docs site are written under
``OUT/validation/``, with a self-contained ``index.html`` summary (no CDN) that links to them.
Only this module imports Great Expectations (it costs seconds).
"""

from __future__ import annotations

import json
import os
import warnings
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from .model import Number, TableSolution, _Blank
from .rules import Rules, TableSpec

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations.core import ExpectationValidationResult

    from .pipeline import DocumentResult

SUITE_VERSION = 1


def _residual_name(rule_text: str) -> str:
    return f"rule: {rule_text}"


def table_to_expectations(spec: TableSpec) -> dict[str, list[dict[str, Any]]]:
    """Given a table's spec, return its expectations per batch as plain dicts (type and kwargs)."""
    cols = [spec.label_column] + spec.columns
    main: list[dict[str, Any]] = [
        {"type": "expect_table_columns_to_match_ordered_list", "kwargs": {"column_list": cols}}
    ]
    main.append({"type": "expect_column_values_to_not_be_null", "kwargs": {"column": spec.label_column}})
    if spec.printed is None:  # a printed table's labels are what the page printed, repeats included
        main.append({"type": "expect_column_values_to_be_unique", "kwargs": {"column": spec.label_column}})
    if spec.canonical:
        main.append(
            {
                "type": "expect_column_values_to_be_in_set",
                "kwargs": {"column": spec.label_column, "value_set": list(spec.canonical)},
            }
        )
    # an empty cell is an abstention (not determined) or a blank the page printed, never a failed check, and a
    # negative is what the page printed: so numeric columns are checked for type, their values by the rules and totals
    for c in spec.columns:
        main.append(
            {
                "type": "expect_column_values_to_be_in_type_list",
                "kwargs": {"column": c, "type_list": ["Int64Dtype", "int64", "Float64Dtype", "float64"]},
            }
        )
    out = {spec.id: main}
    if spec.rules:
        out[f"{spec.id}.rules"] = [
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": _residual_name(r.text), "min_value": 0, "max_value": 0},
            }
            for r in spec.rules
        ]
    totals: list[dict[str, Any]] = []
    bound: dict[str, Number]
    if spec.totals_row:  # one check per column: a column with an empty cell is not evaluated, the others are
        bound = {"min_value": 0, "max_value": 0} if spec.complete else {"max_value": 0}
        for c in spec.columns:
            totals.append(
                {
                    "type": "expect_column_values_to_be_between",
                    "kwargs": {
                        "column": "body_minus_totals_row",
                        "row_condition": f'column=="{c}"',
                        "condition_parser": "pandas",
                        **bound,
                    },
                }
            )
    for c, v in spec.known.items():
        bound = {"min_value": v, "max_value": v} if spec.complete else {"max_value": v}
        totals.append(
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {
                    "column": "body_sum",
                    "row_condition": f'column=="{c}"',
                    "condition_parser": "pandas",
                    **bound,
                },
            }
        )
    if totals:
        out[f"{spec.id}.totals"] = totals
    return out


def rules_to_suites(rules: Rules) -> dict[str, dict[str, Any]]:
    """Given rules, return each batch's suite as JSON-ready dicts, named ``<document>.<batch>``."""
    suites: dict[str, dict[str, Any]] = {}
    for spec in rules.tables:
        for batch, exps in table_to_expectations(spec).items():
            name = f"{rules.document}.{batch}"
            suites[name] = {
                "name": name,
                "meta": {"generated_by": "recover", "version": SUITE_VERSION},
                "expectations": exps,
            }
    return suites


def write_suites(rules: Rules, folder: Path) -> list[Path]:
    """Given rules and a folder (``expectations/<document>/``), write each suite as JSON; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, suite in rules_to_suites(rules).items():
        path = folder / f"{name}.json"
        path.write_text(json.dumps(suite, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _frames(sol: TableSolution, spec: TableSpec) -> dict[str, pd.DataFrame]:
    """Given a solved table, return the pandas frames each batch validates."""
    import pandas as pd

    rows = [r for r in sol.rows if r.status != "duplicate"]
    data: dict[str, Any] = {spec.label_column: [r.row.label for r in rows]}
    exact: dict[str, list[Number | None]] = {}  # the cells as read (int, Decimal): sums are checked on these
    for j, c in enumerate(spec.columns):
        values = [None if isinstance(v, _Blank) else v for v in (r.cells[j] for r in rows)]  # BLANK: empty
        exact[c] = values
        if any(isinstance(v, Decimal) for v in values):
            data[c] = pd.array([None if v is None else float(v) for v in values], dtype="Float64")
        else:
            data[c] = pd.array(cast("list[int | None]", values), dtype="Int64")  # no Decimal: all int
    main = pd.DataFrame(data)
    frames = {spec.id: main}
    if spec.rules:
        res: dict[str, pd.Series | int] = {}  # a rule's residual per row
        for rule in spec.rules:
            coef = dict(rule.coeffs)
            # exactly, then as a float: 1.1 + 1.9 - 3.0 is 4e-16 in floats, and a rule that holds failed its check
            residuals = [
                None
                if any(exact[c][i] is None for c in coef)
                else float(sum(a * cast("Number", exact[c][i]) for c, a in coef.items()) - rule.const)
                for i in range(len(rows))
            ]
            res[_residual_name(rule.text)] = pd.Series(pd.array(residuals, dtype="Float64"))
        frames[f"{spec.id}.rules"] = pd.DataFrame(res)
    if spec.totals_row or spec.known:
        is_total = main[spec.label_column] == spec.totals_row
        total_rows: list[dict[str, Any]] = []
        for c in spec.columns:
            # exactly, then as a float (see the rules above)
            cells = [v for v, t in zip(exact[c], is_total, strict=True) if not t]
            totals = [v for v, t in zip(exact[c], is_total, strict=True) if t]
            exact_sum = None if any(v is None for v in cells) else sum(cast("list[Number]", cells))
            body_sum = pd.NA if exact_sum is None else float(exact_sum)
            diff = pd.NA if exact_sum is None or not totals or totals[0] is None else float(exact_sum - totals[0])
            total_rows.append({"column": c, "body_sum": body_sum, "body_minus_totals_row": diff})
        frames[f"{spec.id}.totals"] = pd.DataFrame(total_rows).astype(
            {"body_sum": "Float64", "body_minus_totals_row": "Float64"}
        )
    return frames


def checked_values(frame: pd.DataFrame, kwargs: dict[str, Any]) -> pd.Series | None:
    """Given a batch's frame and an expectation's kwargs, return the values it checks (its column, the rows its
    ``column=="c"`` condition keeps), or None for an expectation over the whole table."""
    column = kwargs.get("column")
    if column is None or column not in frame:
        return None
    values: pd.Series = frame[column]
    condition = kwargs.get("row_condition")
    if condition:
        name = condition.removeprefix('column=="').removesuffix('"')
        values = values[frame["column"] == name]
    return values


def expectation_to_runnable(frame: pd.DataFrame, kwargs: dict[str, Any]) -> bool:
    """Given a batch's frame and an expectation's kwargs, return whether it can be evaluated: not when every value it
    checks is empty (cells left empty or blank). Such a check is not run, so Great Expectations, which skips empty
    values, never reports it as succeeded while the review page says *not evaluated*."""
    values = checked_values(frame, kwargs)
    return values is None or not bool(values.isna().all())


def _gx() -> ModuleType:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    warnings.filterwarnings("ignore")
    import great_expectations as gx

    return gx


#: The Data Docs site's front page, under a Data Context's root.
DOCS_INDEX = Path("gx") / "uncommitted" / "data_docs" / "local_site" / "index.html"
#: The folder, in a run of several documents (``recover run A B``, ``recover flow batch``), of the one Data Docs
#: site they share (no document's folder takes this name: ``pipeline.document_names``).
SHARED_DOCS = "_data_docs"


def validate_document(folder: Path, result: DocumentResult, shared_site: Path | None = None) -> None:
    """Given a staging folder and a recovered document, run its suites; write results and Data Docs under validation/.

    One Data Context and one validation run (one run id) cover every table; each batch's
    validation definition is run with its own frame (a checkpoint hands the same batch
    parameters to all its definitions, and every batch here is a different frame), and the
    Data Docs are built once at the end, not after each batch. With ``shared_site`` (where the
    site several documents share will stand, see ``build_shared_docs``) no site is built here:
    the results stay in this document's stores and its page links to the shared site.
    """
    gx = _gx()
    import datetime as dt

    import great_expectations.expectations as gxe
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.datasource.fluent import PandasDatasource

    rules: Rules = result.rules
    root = folder / "validation"
    root.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(root))
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    context.variables.save()
    suites = rules_to_suites(rules)
    by_type = {cls.__name__: cls for cls in vars(gxe).values() if isinstance(cls, type)}
    batches = [
        (spec, batch, frame)
        for spec, sol in zip(rules.tables, result.solutions)
        for batch, frame in _frames(sol, spec).items()
    ]
    # every asset and batch definition is declared on a datasource not yet tied to the context, then saved once
    # (tied to a file context, each one added rewrites great_expectations.yml)
    draft = PandasDatasource(name="recover")
    for _, batch, _ in batches:
        draft.add_dataframe_asset(name=batch).add_batch_definition_whole_dataframe(name=batch)
    source = context.data_sources.add_or_update_pandas(datasource=draft)
    started = dt.datetime.now(dt.UTC)
    run_id = RunIdentifier(run_name=f"{rules.document} {started.isoformat(timespec='seconds')}", run_time=started)
    rows: list[tuple[str, str, str, bool, str]] = []
    problems: list[str] = []
    for spec, batch, frame in batches:
        name = f"{rules.document}.{batch}"
        exps = []
        skipped = []
        for e in suites[name]["expectations"]:
            if not expectation_to_runnable(frame, e["kwargs"]):
                skipped.append(e)  # every value it checks is empty: not evaluated, in the Data Docs as on the page
                arg = _check_argument(e["kwargs"])
                rows.append((batch, e["type"], arg, True, "not evaluated"))
                continue
            cls_name = "".join(p.capitalize() for p in e["type"].split("_"))
            exps.append(by_type[cls_name](**e["kwargs"]))
        not_run = [f"{e['type']}({_check_argument(e['kwargs'])})" for e in skipped]
        notes = (
            "**Not evaluated** in this run (every value it checks is empty: cells left empty or blank on the page), "
            "so not run: " + "; ".join(f"`{n}`" for n in not_run)
            if not_run
            else None
        )
        suite = context.suites.add_or_update(
            gx.ExpectationSuite(
                name=name,
                expectations=exps,
                meta={"recover:not_evaluated": not_run} if not_run else None,
                notes=notes,
            )
        )
        bd = source.get_asset(batch).get_batch_definition(batch)
        vd = context.validation_definitions.add_or_update(gx.ValidationDefinition(name=name, data=bd, suite=suite))
        vr = vd.run(batch_parameters={"dataframe": frame}, result_format={"result_format": "SUMMARY"}, run_id=run_id)
        for er in vr.results:
            cfg = er.expectation_config
            arg = _check_argument(cfg.kwargs)
            rows.append((batch, cfg.type, arg, bool(er.success), _outcome(er, batch.endswith(".totals"))))
            if not er.success:
                problems.append(f"table {spec.id}: validation failed: {cfg.type}({arg})")
    # one line per table: the stderr contract
    per_table: dict[str, list[str]] = {}
    for line in problems:
        table, _, what = line.partition(": validation failed: ")
        per_table.setdefault(table, []).append(what)
    result.validation_problems = [f"{t}: validation failed: {', '.join(w)}" for t, w in per_table.items()]
    out_hint = getattr(result, "out_hint", None) or str(folder)
    if shared_site is None:
        context.build_data_docs()  # once, for every suite and result of this run
        docs_to_offline((root / DOCS_INDEX).parent)
        docs_link = DOCS_INDEX.as_posix()
    else:  # the link from where this page will stand to where the shared site will
        docs_link = Path(os.path.relpath(shared_site / DOCS_INDEX, Path(out_hint) / "validation")).as_posix()
    (root / "results.json").write_text(
        json.dumps(
            [{"batch": b, "expectation": t, "column": c, "success": s, "outcome": o} for b, t, c, s, o in rows],
            indent=1,
        )
        + "\n"
    )
    from .printed_rows import result_to_printed
    from .report import Check, result_to_page

    rules_shown = str(rules.path) if result.inferred_rules is None else str(Path(out_hint) / "inferred-rules.yaml")
    page = result_to_page(
        result,
        [Check(b, t, c, o) for b, t, c, _, o in rows],
        docs_link,
        out_hint,
        rules_shown,
        result_to_printed(result),
    )
    (root / "index.html").write_text(page, encoding="utf-8")


def build_shared_docs(site: Path, folders: list[Path]) -> None:
    """Given a (staging) folder for the shared site and the folders of documents validated with ``shared_site``, build
    one Data Docs site of all their suites and results, once (GX rebuilds a whole site on each build: a site per
    document cost about half a second of fixed work each).

    Each document's suites and validation results are copied, as the JSON files of its stores, into the site's
    own Data Context, whose builder renders them like its own. A folder without results (a document that failed,
    or ran with ``--no-validate``) adds nothing.
    """
    import shutil

    gx = _gx()
    site.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(site))
    for folder in folders:
        src = folder / "validation" / "gx"
        for part in ("expectations", "uncommitted/validations"):
            for path in sorted((src / part).rglob("*.json")) if (src / part).is_dir() else []:
                dst = site / "gx" / part / path.relative_to(src / part)
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dst)
    context.build_data_docs()
    docs_to_offline((site / DOCS_INDEX).parent)


def _check_argument(kwargs: dict[str, Any]) -> str:
    """Given an expectation's kwargs, return what it checks as the page names it: its column (and the table's column
    its condition selects, ``body_minus_totals_row (opened)``), or its list of columns."""
    arg = kwargs.get("column") or ",".join(kwargs.get("column_list", []))
    condition = kwargs.get("row_condition")
    if isinstance(condition, dict):  # as Great Expectations keeps it once parsed: {"pass_through_filter": …}
        condition = condition.get("pass_through_filter")
    if isinstance(condition, str) and condition.startswith('column=="'):
        selected = condition.removeprefix('column=="').removesuffix('"')
        arg += f" ({selected})"
    return str(arg)


def _outcome(er: ExpectationValidationResult, per_column: bool = False) -> str:
    """Given an expectation's result, return its outcome: "violated", "not evaluated" (every value it would check is
    empty, or, for the totals batch where each value is one column's total, any is: a sum over a column with empty
    cells cannot run, and is never shown as passed), or "passed"."""
    if not er.success:
        return "violated"
    res = er.result or {}
    count, missing = res.get("element_count"), res.get("missing_count") or 0
    if count and (missing >= count or (per_column and missing)):
        return "not evaluated"
    return "passed"


#: CDN addresses in GX's Data Docs and the vendored copy (src/recover/docs_assets) that replaces each.
OFFLINE_ASSETS = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": "bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": "bootstrap-table-filter-control.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": "bootstrap-table-filter-control.min.css",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": "bootstrap-prefers-dark.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": "bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": "bootstrap-datepicker.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "css/fontawesome-all.min.css",
}
#: Script tags dropped offline: charting libraries the validation pages do not use.
OFFLINE_DROPPED = (
    "https://cdn.jsdelivr.net/npm/vega@5",
    "https://cdn.jsdelivr.net/npm/vega-lite@5",
    "https://cdn.jsdelivr.net/npm/vega-embed@6",
)


def docs_to_offline(site: Path) -> None:
    """Given a Data Docs site, copy the vendored CSS/JS beside it and point every page at the copies (no CDN)."""
    import re
    import shutil

    if not site.is_dir():
        return
    static = site / "static" / "vendor"
    shutil.copytree(Path(__file__).parent / "docs_assets", static, dirs_exist_ok=True)
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        prefix = "../" * (len(page.relative_to(site).parts) - 1)
        for url, local in OFFLINE_ASSETS.items():
            text = text.replace(url, f"{prefix}static/vendor/{local}")
        for url in OFFLINE_DROPPED:
            text = re.sub(r'<script[^>]*src="' + re.escape(url) + r'"[^>]*>\s*</script>', "", text)
        text = re.sub(
            r'<img[^>]*src="https://great-expectations-web-assets[^"]*"[^>]*>',
            "<strong>Great Expectations</strong>",
            text,
        )
        text = re.sub(r"url\('https://great-expectations-web-assets[^']*'\)", "none", text)
        page.write_text(text, encoding="utf-8")
