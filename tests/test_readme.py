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


def _blocks() -> list[list[str]]:
    """Return the README's indented code blocks, each as its lines (the 4 spaces of indentation taken off)."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("    "):
            current.append(line[4:])
        elif current and line.strip():
            blocks.append(current)
            current = []
    return blocks + ([current] if current else [])


def _shell_commands() -> list[str]:
    """Return the README's shell commands in order: every code-block line but the synopsis (bare `recover …` with
    placeholders), the Python example, and the comment lines continuing a command's comment."""
    commands = []
    for block in _blocks():
        if block[0].startswith(("import ", "recover ")):
            continue
        commands += [line for line in block if not line.lstrip().startswith("#")]
    return commands


def test_every_readme_command_names_what_the_set_up_installed():
    """Issue 18, bug: copy-paste from the README failed: `prefect server start` (only `.venv/bin/prefect` exists), the
    API example's `page.html` and `report.pdf`, `rules/my.yaml`. Every command runs a program of the venv (or is one of
    the two set-up commands) and names files that exist, or that a command before it writes."""
    import re

    commands = _shell_commands()
    assert len(commands) >= 15
    written = {"out", "out-zero", "my-rules.yaml", "out-zero/inferred-rules.yaml", "out/datapackage.json"}
    for command in commands:
        program = re.sub(r"^(PREFECT_API_URL=\S+ )", "", command).split()[0]
        assert program == "python3" or program.startswith(".venv/bin/"), command
        for word in re.findall(
            r"(?<![\w/.-])((?:samples|rules|tests|bench)/[\w./-]+|out[\w-]*/\S*|\S+\.yaml)", command
        ):
            path = word.rstrip("/'\"")
            assert (ROOT / path).exists() or path in written or path.split("/")[0] in written, (word, command)
    python = next(b for b in _blocks() if b[0].startswith("import "))
    for line in python:
        for path in re.findall(r'"((?:samples|rules|tests)/[^"]+)"', line):
            assert (ROOT / path).is_file(), path


def test_the_readme_commands_run_as_written(tmp_path):
    """Issue 18: the README's cheap commands, run as written (the shell's own parsing) in a copy of the project's
    inputs, in order, after the set-up's run: each exits as the README says (0; a review's decision written), the
    Python example included; the server's, the benchmarks' and the lint's are only checked to exist (and the
    benchmarks' flags to be theirs)."""
    import os
    import shutil
    import subprocess

    for folder in ("rules", "samples", "tests/real"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    setup_run = _commands()[0].split(" && ")[-1]
    runnable = [setup_run] + [
        c
        for c in _shell_commands()
        if not c.startswith(("python3 ", "PREFECT_API_URL=", ".venv/bin/prefect", ".venv/bin/ruff"))
        and " flow " not in c
        and "bench/" not in c
    ]
    assert any(c.startswith(".venv/bin/recover review ") for c in runnable)
    for command in runnable:
        proc = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
        )
        assert proc.returncode == 0, (command, proc.stderr[-2000:])
    # a zero-config decision is kept beside OUT (OUT-rules.yaml), where the next run does not replace it (issue 19)
    assert "Missing Young Adult: {case_status_1: 75}" in (tmp_path / "out-zero-rules.yaml").read_text()
    python = "\n".join(next(b for b in _blocks() if b[0].startswith("import ")))
    proc = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", python], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0 and "tables:" in proc.stdout, proc.stderr[-2000:]
    for command in _shell_commands():
        if "bench/" in command:
            script, *flags = command.split("#")[0].split()[1:]
            help_text = subprocess.run(
                [str(ROOT / ".venv" / "bin" / "python"), script, "--help"], cwd=ROOT, capture_output=True, text=True
            ).stdout
            assert all(f in help_text for f in flags if f.startswith("--")), command
