"""The README opens with the two commands a new user runs, and CI runs the second verbatim."""

from tests.conftest import ROOT


def _commands():
    return [l.strip() for l in (ROOT / "README.md").read_text().splitlines() if l.startswith("    python3 -m venv")]


def test_readme_opens_with_install_run_and_install_test():
    run, test = _commands()[:2]
    assert run.endswith("--rules rules/ncmec-2020.yaml --out out/") and "recover run samples/ncmec-2020/" in run
    assert test.endswith("-m pytest -q")


def test_ci_runs_the_readme_test_command():
    assert _commands()[1] in (ROOT / ".ci" / "run").read_text().splitlines()
