"""Errors a user can cause, each with a stable slug and a one-line message.

Modelled on frictionless-py's errors: the slug is stable (tests and scripts may match
on it), the message is built from a template, and ``str(error)`` is the one line the
CLI prints. Every ``RecoverError`` is a user error and maps to exit status 2.
"""

from __future__ import annotations


class RecoverError(Exception):
    """Given a location and the template's fields, return a one-line user error."""

    slug = "recover-error"
    template = "{detail}"

    def __init__(self, where: str = "", **fields: object) -> None:
        self.where = where
        self.fields = fields
        super().__init__(self.line)

    @property
    def message(self) -> str:
        return self.template.format(**self.fields)

    @property
    def line(self) -> str:
        text = _printable(" ".join(self.message.split()))  # always one line
        where = _printable(self.where)
        return f"{where}: {text} [{self.slug}]" if where else f"{text} [{self.slug}]"


def _printable(text: str) -> str:
    """Given a text, return it with control characters escaped (``\\n``, ``\\x00``), so a path or URL holding one stays on one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)


class UsageError(RecoverError):
    slug = "usage"


class RulesError(RecoverError):
    """A rules file that cannot be used; ``where`` is ``file:line``."""

    slug = "rules-invalid"


class RulesSyntaxError(RulesError):
    slug = "rules-syntax"
    template = "not valid YAML: {detail}"


class RulesKeyError(RulesError):
    slug = "rules-unknown-key"
    template = "{key}: unknown key"


class RulesValueError(RulesError):
    slug = "rules-bad-value"
    template = "{key}: {detail}"


class RuleExpressionError(RulesError):
    slug = "rules-bad-expression"
    template = "{key}: {detail}"


class SourceError(RecoverError):
    """A source that cannot be read; ``where`` names the file or URL."""

    slug = "source-unreadable"


class SourceMissingError(SourceError):
    slug = "source-missing"
    template = "no such file"


class SourceKindError(SourceError):
    slug = "source-not-a-document"
    template = "not a document: {detail}"


class BoundError(SourceError):
    """A source over one of the work bounds; the message names the bound."""

    slug = "bound-exceeded"
    template = "{what} exceeds the bound of {limit} ({setting})"


class OutputError(RecoverError):
    """An output folder that cannot be written or replaced; ``where`` names it."""

    slug = "output-refused"


class Interrupted(BaseException):
    """A run stopped by a signal (SIGINT, SIGTERM, SIGHUP): not an error of the input, so not a RecoverError.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` swallows it;
    ``published`` says whether the new outputs were already in place when it came.
    """

    def __init__(self, signum: int, published: bool = False) -> None:
        import signal

        self.signum = signum
        self.published = published
        try:
            self.name = signal.Signals(signum).name
        except ValueError:  # pragma: no cover
            self.name = f"signal {signum}"
        super().__init__(self.name)

    @property
    def status(self) -> int:
        """Return the exit status a shell gives a process this signal ended: 128 + the signal's number."""
        return 128 + self.signum
