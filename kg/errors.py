"""Problem codes: why a file could not be used, or was used only partly.

One table, code -> message template.  Codes starting with ``E`` are errors
(no Article is produced); codes starting with ``W`` are warnings (the
Article is produced, something in it is missing).  A Problem is built with
:func:`problem`, which fills the template::

    >>> str(problem("E021", "seeds/x.md", line=3))
    'E021 seeds/x.md: front matter is not valid YAML (line 3)'
"""
from __future__ import annotations

from enum import Enum

from kg.model import Problem


class Code(str, Enum):
    """The codes, for code that prefers names to string literals."""
    E001 = "E001"   # cannot read file
    E002 = "E002"   # not text
    E003 = "E003"   # too large
    E004 = "E004"   # symbolic link loop (kg/inputs.py, discovery)
    E005 = "E005"   # a system folder given as input (kg/inputs.py)
    E010 = "E010"   # empty
    E020 = "E020"   # no front matter
    E021 = "E021"   # front matter is not valid YAML
    E022 = "E022"   # front matter is not a mapping
    E030 = "E030"   # no body text
    E031 = "E031"   # no usable sentences
    W040 = "W040"   # date not understood
    W041 = "W041"   # no title
    W042 = "W042"   # mixed encodings or undecodable bytes (kg/read.py, decode_bytes)
    E099 = "E099"   # internal error (kg/pipeline.py: a bug, not the file's fault)
    N001 = "N001"   # not an article: no front matter and not HTML (a README, a table)
    N002 = "N002"   # a symbolic link leading outside the input folders: not followed

    def __str__(self) -> str:  # so f"{Code.E001}" == "E001"
        return self.value


#: code -> message template (str.format fields; missing fields default to "").
MESSAGES: dict[str, str] = {
    "E001": "cannot read file ({reason})",
    "E002": "not text ({reason})",
    "E003": "file too large ({size} bytes; limit {limit} bytes)",
    "E004": "symbolic link loop, folder already visited",
    "E010": "empty file",
    "E020": "no front matter ({reason})",
    "E021": "front matter is not valid YAML (line {line})",
    "E022": "front matter is not a mapping (found {found})",
    "E030": "no body text (image-only, video-only or empty); title: {title}",
    "E031": "body has no usable sentences; title: {title}",
    "W040": "date not understood ({value}); article kept without date",
    "W041": "no title",
    "W042": "not one clean encoding ({detail}); article kept",
    "E005": "a system folder (/proc, /dev, /sys): not read",
    "E099": "internal error ({detail})",
    "N001": "not an article (no front matter and no HTML); ignored",
    "N002": "symbolic link leads outside the input folders ({target}); not followed",
}

#: default for the E003 limit (bytes); read_article(max_bytes=...) overrides.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def message(code: str | Code, **fields: object) -> str:
    """The filled message template of `code`."""
    return MESSAGES[str(code)].format_map(_Blank(fields))


def problem(code: str | Code, source: str, **fields: object) -> Problem:
    """A Problem for `source` with the filled message of `code`."""
    return Problem(str(code), str(source), message(code, **fields))


def is_warning(code: str | Code | Problem) -> bool:
    """True for W-codes: the Article was still produced."""
    c = code.code if isinstance(code, Problem) else str(code)
    return c.startswith("W")


def is_note(code: str | Code | Problem) -> bool:
    """True for N-codes: not an article at all; nothing lost."""
    c = code.code if isinstance(code, Problem) else str(code)
    return c.startswith("N")


def is_error(code: str | Code | Problem) -> bool:
    c = code.code if isinstance(code, Problem) else str(code)
    return c.startswith("E")
