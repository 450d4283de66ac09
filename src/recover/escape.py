"""Text from a document (labels, headers, titles, file names) escaped for where it goes: one function per target.

A document is data wherever its text lands: a YAML scalar or key of a rules file, a YAML
comment, an output folder's name, a markdown artifact. Each function here is the only way that
text reaches its target, and each is round-trip tested over arbitrary Unicode
(``tests/test_fuzz.py``). HTML goes through ``html.escape`` (``report.py``).
"""

from __future__ import annotations

import html
import json
import re

#: Longest document name (an output folder's name), in characters.
DEFAULT_MAX_NAME_CHARS = 100

# What YAML takes raw inside a double-quoted scalar or a comment: printable characters that are not line breaks
# (U+0085, U+2028 and U+2029 end a line in YAML, a BOM only belongs at the start). Everything else is escaped.
_NOT_RAW = re.compile(r"[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# A label written as a plain (unquoted) YAML key: words, spaces and a few signs, no YAML indicator.
_PLAIN_KEY = re.compile(r"[^\W_](?:[\w .()/-]*[\w.)])?")


def text_to_yaml(text: str) -> str:
    """Given any text, return it as a YAML double-quoted scalar that every YAML loader reads back as exactly that text
    (control characters, line breaks of any kind, U+FFFE, surrogates escaped as ``\\uXXXX``)."""
    return _NOT_RAW.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(text, ensure_ascii=False))


def text_to_yaml_key(text: str) -> str:
    """Given a label, return it as a YAML mapping key: plain where YAML 1.1 reads the plain form back as that very text
    (``North``), else double-quoted (``"Yes"``, ``"No"``, ``"null"``, ``"~"``, ``"2019"``, ``"a: b"``)."""
    if _PLAIN_KEY.fullmatch(text) and len(text) <= 200:
        import yaml

        try:
            if yaml.safe_load(text) == text:
                return text
        except yaml.YAMLError:
            pass
    return text_to_yaml(text)


def text_to_yaml_comment(text: str) -> str:
    """Given any text, return it as the text of one YAML comment line: a line break or a character YAML refuses is
    written as ``\\uXXXX``, so the comment can never end early (nothing after it becomes a key)."""
    return _NOT_RAW.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def text_to_folder_name(text: str) -> str:
    """Given a document's stem or name, return a safe folder name: lower-cased, every character outside ``[a-z0-9_-]``
    replaced by ``-`` (so never ``.``, ``..``, a separator or a line break), at most DEFAULT_MAX_NAME_CHARS, never
    empty."""
    return re.sub(r"[^a-z0-9_-]", "-", text.lower())[:DEFAULT_MAX_NAME_CHARS] or "document"


#: First characters that make a spreadsheet read a cell as a formula (CSV injection).
SPREADSHEET_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_to_spreadsheet_cell(text: str) -> str:
    """Given a label, return it safe to open in a spreadsheet: one that starts like a formula (``=``, ``+``, ``-``,
    ``@``, a tab, a carriage return) gets a leading ``'``, which spreadsheets show as text (``recover run
    --spreadsheet-safe``); any other text is returned as it is."""
    return "'" + text if text.startswith(SPREADSHEET_FORMULA_STARTS) else text


#: Characters markdown (CommonMark and GFM tables) gives a meaning to: written with a backslash.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~=:])")


def text_to_markdown(text: str) -> str:
    """Given any text, return it as inline markdown that renders as that text, on one line (it may go in a table
    cell): ``<``, ``>`` and ``&`` as entities (no raw HTML), markdown's signs backslashed (no link, image, emphasis,
    cell split), line breaks as spaces."""
    one_line = " ".join(text.split())
    return _MARKDOWN.sub(r"\\\1", html.escape(one_line, quote=False))
