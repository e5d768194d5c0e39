"""Read one Hexo-style Markdown file (YAML front matter + HTML body) into an Article.

    article, problems = read_article("seeds/000_31ab85aaea601f26.txt")

`article` is None when the file cannot be used; `problems` then holds one
E-coded Problem saying why.  W-coded problems (no date, no title) come
with an Article.  `read_text` is the same without the file system.

The HTML body is cleaned by a small non-recursive tokenizer (not a tree):
libxml2 silently drops everything below nesting depth 256, and recursive
tree walks hit Python's recursion limit on 10,000 nested <font>s.
"""
from __future__ import annotations

import email.utils
import html
import os
import re
import stat
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import yaml

from kg.errors import DEFAULT_MAX_BYTES, problem
from kg.model import Article, Problem
from kg.text import paragraph_starts, split_sentences

try:
    _YamlLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _YamlLoader = yaml.SafeLoader

__all__ = ["read_article", "read_text", "decode_bytes", "clean_html", "normalise",
           "parse_date", "fix_title_quotes"]

_SNIFF = 8192

# --------------------------------------------------------------------------
# text normalisation


# zero-width chars, BOM, word joiner, soft hyphen, bidi controls: removed
_INVISIBLE = "\u200b\u200c\u200d\ufeff\u2060\u00ad\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
# C0 (\n too: normalise works on one line) and C1 controls, DEL, U+2028/9: become a space
_CONTROL = "\x00-\x1f\x7f-\x9f\u2028\u2029"
_BAD = re.compile(f"[{_INVISIBLE}]|[{_CONTROL}]|[\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile("[ \t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]")


def _bad_repl(m: re.Match) -> str:
    c = m.group()
    if c in _INVISIBLE:
        return ""
    if "\ud800" <= c <= "\udfff" or c in "\ufffe\uffff":
        return "\ufffd"
    return " "


def normalise(s: str) -> str:
    """One line of text: invisible chars dropped, control chars and lone
    surrogates replaced, runs of (full-width) spaces collapsed to one
    space, whitespace trimmed.  Contains no "\\n"."""
    if _BAD.search(s):
        s = _BAD.sub(_bad_repl, s)
    s = _SPACES.sub(" ", s)
    return s.strip()


# --------------------------------------------------------------------------
# HTML -> lines

_TOKEN = re.compile(
    r"""<!--.*?(?:-->|\Z)"""                                    # comment (unclosed: to the end)
    r"""|<[!?][^>]*>?"""                                         # doctype, <![CDATA[, <?pi
    r"""|<(/?)([A-Za-z][A-Za-z0-9:._-]*)"""                     # tag name
    # attributes; possessive and bounded, and no "<" outside quotes, so that a
    # broken tag costs a short scan and never backtracking (linear time)
    r"""([^<>"']{0,4000}+(?:(?:"[^"]{0,4000}+"|'[^']{0,4000}+')[^<>"']{0,4000}+){0,64}+)>"""
    r"""|[^<]+|<""",
    re.S,
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr keygen".split())
_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes noscript plaintext".split())
_DROP = frozenset("head svg math object video audio canvas select template button map".split())
_BLOCK = frozenset(
    """p div br li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote section article header footer
    nav aside main figure figcaption pre hr address center form fieldset legend details summary
    table caption thead tbody tfoot tr td th body html""".split())
_CONTAINERS = frozenset("div td th tr table tbody thead tfoot blockquote ul ol dl body html section article".split())
_RAW_END = {t: re.compile(rf"</{t}\s*>|\Z", re.I) for t in _RAW_TEXT}
_CLASS_ATTR = re.compile(r"""\b(?:class|id)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_DROP_CLASS = re.compile(
    r"(?<![\w-])(?:img_wrapper|img_descr|appendQr\w*|app-kaihu-qr|artical-player-wrap|"
    r"J_Article_Player|video-2017|fincon_sfapp_pro|fin_reference|article-editor)(?![\w-])")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\xa0\u3000]*\n")


def _dropped_by_class(attrs: str) -> bool:
    if "=" not in attrs:
        return False
    for m in _CLASS_ATTR.finditer(attrs):
        v = m.group(1) or m.group(2) or m.group(3) or ""
        if _DROP_CLASS.search(v):
            return True
    return False


def clean_html(body: str) -> list[str]:
    """The raw (unnormalised) lines of an HTML body: blocks become lines,
    inline markup is flattened, table rows become one line with cells
    joined by " | ", non-content elements are dropped.  Non-recursive."""
    lines: list[str] = []
    out: list[str] = []           # pieces of the current line
    row: list[str] | None = None  # cells of the current table row
    cell: list[str] | None = None  # pieces of the current cell
    table_depth = 0
    skip_tag: str | None = None
    skip_depth = 0
    open_counts: dict[str, int] = {}

    def brk() -> None:
        if cell is not None:
            cell.append(" ")
        elif out:
            lines.append("".join(out))
            out.clear()

    def end_cell() -> None:
        nonlocal cell
        if cell is not None:
            if row is not None:
                row.append("".join(cell))
            cell = None

    def end_row() -> None:
        nonlocal row
        end_cell()
        if row is not None:
            cells = [normalise(c) for c in row]
            if any(cells):
                if out:
                    lines.append("".join(out))
                    out.clear()
                lines.append(" | ".join(cells))
            row = None

    n = len(body)
    pos = 0
    match = _TOKEN.match
    while pos < n:
        m = match(body, pos)
        pos = m.end()
        tok = m.group()
        c0 = tok[0]
        if c0 != "<" or len(tok) == 1:                       # text
            if skip_tag is not None:
                continue
            if "&" in tok:
                tok = html.unescape(tok)
            if cell is not None:
                cell.append(tok)
            elif row is not None or table_depth > 0:
                if not tok.isspace():
                    if row is None:
                        row = []
                    cell = [tok]
            elif "\n" in tok and _BLANK_LINE.search(tok):   # blank line: paragraph break
                parts = _BLANK_LINE.split(tok)
                for i, p in enumerate(parts):
                    if i:
                        brk()
                    out.append(p)
            else:
                out.append(tok)
            continue
        name = m.group(2)
        if name is None:                                     # comment, doctype, PI
            continue
        name = name.lower()
        closing = m.group(1) == "/"
        if skip_tag is not None:
            if name == skip_tag:
                if closing:
                    skip_depth -= 1
                    if skip_depth == 0:
                        skip_tag = None
                elif name not in _VOID:
                    skip_depth += 1
                continue
            if not (closing and name in _CONTAINERS and open_counts.get(name, 0) > 0):
                continue
            skip_tag = None                                  # an ancestor closed: stop skipping
        if not closing:
            if name in _RAW_TEXT:
                pos = _RAW_END[name].search(body, pos).end()
                continue
            attrs = m.group(3)
            if name in _VOID:
                if name == "br" or name == "hr":
                    brk()
                continue
            if name in _DROP or _dropped_by_class(attrs):
                skip_tag, skip_depth = name, 1
                continue
            open_counts[name] = open_counts.get(name, 0) + 1
            if name == "table":
                if table_depth == 0:
                    end_row()
                    brk()
                else:
                    brk()
                table_depth += 1
            elif table_depth == 1 and name == "tr":
                end_row()
                row = []
            elif table_depth == 1 and (name == "td" or name == "th"):
                end_cell()
                if row is None:
                    row = []
                cell = []
            elif name in _BLOCK:
                brk()
        else:
            if open_counts.get(name, 0) > 0:
                open_counts[name] -= 1
            if name == "table":
                if table_depth == 1:
                    end_row()
                if table_depth > 0:
                    table_depth -= 1
                brk()
            elif table_depth == 1 and name == "tr":
                end_row()
            elif table_depth == 1 and (name == "td" or name == "th"):
                end_cell()
            elif name in _BLOCK:
                brk()
    end_row()
    if out:
        lines.append("".join(out))
    return lines


# --------------------------------------------------------------------------
# boilerplate lines

_ORIGINAL_TITLE = re.compile(r"原标题\s*[：:]\s*(.*)")
_ORIGIN = re.compile(r"来源\s*[：:|｜]\s*(.*)")
_EDITOR = re.compile(r"[（(]\s*(?:责任)?编辑\s*[：:][^）)]*[）)]")
_MAX_ORIGIN = 60


def _body_lines(body: str) -> tuple[list[str], str | None, str | None]:
    """Normalised content lines, original title, origin."""
    kept: list[str] = []
    original_title = origin = None
    for raw in clean_html(body):
        line = normalise(raw)
        if not line:
            continue
        if line.startswith("责任编辑") or _EDITOR.fullmatch(line):
            continue
        if "新浪财经APP" in line and len(line) <= 60:
            continue
        m = _ORIGINAL_TITLE.match(line)
        if m:
            if original_title is None and m.group(1):
                original_title = m.group(1)
            continue
        m = _ORIGIN.match(line)
        if m and len(m.group(1)) <= _MAX_ORIGIN:
            if origin is None and m.group(1):
                origin = m.group(1)
            continue
        kept.append(line)
    return kept, original_title, origin


# --------------------------------------------------------------------------
# front matter

_FM_OPEN = re.compile(r"(?:[ \t]*\n)*---[ \t]*(?:\n|\Z)")
_FM_CLOSE = re.compile(r"^---[ \t]*$", re.M)
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(.*)|[ \t]*)$")
_LIST_ITEM = re.compile(r"[ \t]*-(?:[ \t]+(.*)|[ \t]*)$")


class _FrontMatterError(Exception):
    def __init__(self, line: int) -> None:  # 0-based line within the front matter
        super().__init__(line)
        self.line = line


def _unquote(v: str) -> str:
    v = v.strip()
    layers = 0
    while len(v) >= 2 and v[0] in "\"'" and v[-1] == v[0]:
        q = v[0]
        v = v[1:-1]
        layers += 1
        if layers == 1 and q == "'" and "''" in v and not (v.startswith("'") and v.endswith("'")):
            v = v.replace("''", "'")
        elif layers == 1 and q == '"' and '\\"' in v:
            v = v.replace('\\"', '"')
    return v.strip()


def _tolerant_front_matter(fm: str) -> dict[str, object]:
    """`key: value` lines; multi-line unquoted titles; quote-wrapped values.
    Raises _FrontMatterError(line) at the first line it cannot place."""
    result: dict[str, object] = {}
    key: str | None = None
    parts: list[str] = []
    items: list[str] = []

    def close() -> None:
        if key is None:
            return
        if items and not "".join(parts).strip():
            result[key] = [_unquote(i) for i in items]
        else:
            text = " ".join(p.strip() for p in parts if p.strip())
            result[key] = _unquote(text) if text else None

    for i, line in enumerate(fm.split("\n")):
        if not line.strip() or line.lstrip().startswith("#") and key != "title":
            if key == "title":
                parts.append("")
            continue
        m = _KEY_LINE.match(line)
        if m:
            close()
            key, parts, items = m.group(1), [m.group(2) or ""], []
            if key != "title" and parts[0].lstrip()[:1] in ("[", "{"):
                raise _FrontMatterError(i)  # a broken flow collection: not a stray title
            continue
        li = _LIST_ITEM.match(line)
        if li and key is not None and key != "title":
            items.append(li.group(1) or "")
            continue
        if key is not None and (line[0] in " \t" or key == "title"):
            parts.append(line)
            continue
        raise _FrontMatterError(i)
    close()
    if not result:
        raise _FrontMatterError(0)
    return result


def _parse_front_matter(fm: str) -> tuple[object, int | None, dict | None]:
    """(yaml result or None, 0-based error line or None, tolerant result or None)."""
    try:
        return yaml.load(fm, Loader=_YamlLoader), None, None
    except Exception as exc:  # YAMLError, but also ValueError for 2021-02-30, RecursionError…
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        yaml_line = mark.line if mark is not None else 0
    try:
        return None, None, _tolerant_front_matter(fm)
    except _FrontMatterError as exc:
        return None, max(exc.line, 0) if exc.line is not None else yaml_line, None


_TITLE_QUOTES = re.compile(r"_([^\s_](?:[^_\n]*?[^\s_])?)_")
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+")


def fix_title_quotes(title: str) -> str:
    """`_X_` -> “X” (the feed's file-name-safe form of Chinese quotes);
    only paired underscores around non-space text, and not identifiers
    such as ``snake_case_name``."""
    if "_" not in title:
        return title

    def repl(m: re.Match) -> str:
        before = title[m.start() - 1] if m.start() > 0 else ""
        after = title[m.end()] if m.end() < len(title) else ""
        if (before.isascii() and before.isalnum() and after.isascii() and after.isalnum()
                and _ASCII_WORD.fullmatch(m.group(1))):
            return m.group()
        return f"“{m.group(1)}”"

    return _TITLE_QUOTES.sub(repl, title)


def _scalar_text(v: object) -> str | None:
    if v is None or isinstance(v, (list, dict, set, tuple, bytes)):
        return None
    return str(v)


# --------------------------------------------------------------------------
# dates

_ISO = re.compile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:(?:[T ]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?")
_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_RFC822 = re.compile(
    r"(?:[A-Za-z]{3,9},?\s*)?(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{2,4})"
    r"(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(GMT|UTC|UT|Z|[+-]\d{4})?")
_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?")


def _iso(dt: datetime) -> str:
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc)
    return (f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}"
            f"T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}Z")


def parse_date(value: object) -> str | None:
    """ISO 8601 UTC ('2021-10-25T05:37:19Z') or None.  Accepts datetimes,
    dates, RFC 822 ('Mon, 25 Oct 2021 05:37:19 GMT'), ISO 8601 and
    'YYYY-MM-DD HH:MM:SS'.  Times without a zone are taken as UTC.  Odd but
    valid years (0900) are kept as written."""
    try:
        if isinstance(value, datetime):
            return _iso(value)
        if isinstance(value, date):
            return f"{value.year:04d}-{value.month:02d}-{value.day:02d}T00:00:00Z"
        if not isinstance(value, str):
            return None
        s = value.strip()
        if not s:
            return None
        m = _ISO.fullmatch(s)
        if m:
            y, mo, d, h, mi, sec, _frac, tz = m.groups()
            tzinfo = None
            if tz in ("Z", "UTC", "GMT"):
                tzinfo = timezone.utc
            elif tz:
                sign = 1 if tz[0] == "+" else -1
                digits = tz[1:].replace(":", "")
                tzinfo = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))
            dt = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(sec or 0), tzinfo=tzinfo)
            return _iso(dt)
        m = _CN_DATE.fullmatch(s)
        if m:
            y, mo, d, h, mi, sec = m.groups()
            return _iso(datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(sec or 0)))
        m = _RFC822.fullmatch(s)
        if m:  # own parser: email.utils turns year 0900 or 0000 into 1900/2000
            d, mon, y, h, mi, sec, tz = m.groups()
            month = _MONTHS.get(mon[:3].lower())
            if month is None:
                return None
            year = int(y)
            if len(y) == 2:
                year += 1900 if year > 68 else 2000
            elif len(y) == 3:
                return None
            tzinfo = timezone.utc
            if tz and tz[0] in "+-":
                sign = 1 if tz[0] == "+" else -1
                tzinfo = timezone(sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5])))
            return _iso(datetime(year, month, int(d), int(h or 0), int(mi or 0), int(sec or 0),
                                 tzinfo=tzinfo))
        dt = email.utils.parsedate_to_datetime(s)
        if dt is None:
            return None
        return _iso(dt)
    except (ValueError, TypeError, OverflowError, IndexError):
        return None


# --------------------------------------------------------------------------
# bytes -> str


def decode_bytes(data: bytes) -> tuple[str | None, str]:
    """(text, note) or (None, reason).  UTF-8 (BOM stripped), UTF-16 with BOM,
    else GB18030, else line by line (mixed encodings; `note` says so, else
    ""); NUL bytes or many control chars mean binary."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), ""
        except UnicodeDecodeError:
            return None, "invalid UTF-8 after a UTF-8 byte-order mark"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None, "invalid UTF-16 after a UTF-16 byte-order mark"
        return text.lstrip("\ufeff"), ""
    if b"\x00" in data[:_SNIFF]:
        return None, "binary: NUL bytes"
    note = ""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
        if not _has_utf8_line(data):  # no UTF-8 line at all: the whole file in GB18030
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                pass
        if text is None:
            text, note = _decode_lines(data)
            if text is None:
                return None, "undecodable as UTF-8 or GB18030"
    head = text[:_SNIFF]
    ctrl = sum(1 for c in head if c < " " and c not in "\t\n\r\f")
    if ctrl > 8 and ctrl * 10 > len(head):
        return None, "binary: control characters"
    return text, note


_CJK_UTF8 = re.compile(rb"[\xe0-\xef][\x80-\xbf]{2}")


def _has_utf8_line(data: bytes) -> bool:
    """Some line is valid UTF-8 with two or more 3-byte characters (CJK):
    GBK text almost never is, so the file mixes encodings."""
    for line in data.split(b"\n"):
        if len(_CJK_UTF8.findall(line)) >= 2:
            try:
                line.decode("utf-8")
                return True
            except UnicodeDecodeError:
                pass
    return False


def _decode_lines(data: bytes) -> tuple[str | None, str]:
    """Mixed encodings (a UTF-8 front matter over a GBK body, a stray byte):
    each line as UTF-8, else GB18030, else UTF-8 with U+FFFD for the bad
    bytes.  None when more than a tenth of the lines need the last resort."""
    parts, gb, bad = [], 0, 0
    for line in data.split(b"\n"):
        try:
            parts.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        try:
            parts.append(line.decode("gb18030"))
            gb += 1
            continue
        except UnicodeDecodeError:
            pass
        parts.append(line.decode("utf-8", "replace"))
        bad += 1
    if bad * 10 > sum(1 for line in data.split(b"\n") if line.strip()):
        return None, ""
    notes = []
    if gb:
        notes.append(f"{gb} line{'s' if gb > 1 else ''} read as GB18030, the rest as UTF-8")
    if bad:
        notes.append(f"undecodable bytes on {bad} line{'s' if bad > 1 else ''} replaced by U+FFFD")
    return "\n".join(parts), "; ".join(notes)


# --------------------------------------------------------------------------
# the reader


def read_article(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES
                 ) -> tuple[Article | None, list[Problem]]:
    """Read one file; see the module docstring."""
    source = os.fspath(path)
    name = os.path.basename(source)
    try:
        st = os.stat(source)
    except OSError as exc:
        return None, [problem("E001", source, reason=exc.strerror or type(exc).__name__)]
    if not stat.S_ISREG(st.st_mode):
        return None, [problem("E001", source, reason="not a regular file")]
    if st.st_size > max_bytes:
        return None, [problem("E003", source, size=st.st_size, limit=max_bytes)]
    if st.st_size == 0:
        return None, [problem("E010", source)]
    try:
        with open(source, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        return None, [problem("E001", source, reason=exc.strerror or type(exc).__name__)]
    if len(data) > max_bytes:  # grew since stat
        return None, [problem("E003", source, size=len(data), limit=max_bytes)]
    if not data:
        return None, [problem("E010", source)]
    text, reason = decode_bytes(data)
    if text is None:
        return None, [problem("E002", source, reason=reason)]
    article, problems = read_text(text, source, name)
    if article is not None and reason:  # decoded, but not as one clean encoding
        problems.append(problem("W042", source, detail=reason))
    return article, problems


# an article body is HTML: a file with no front matter and no line starting with
# one of these tags is no article (a README that mentions `<font>` in its text neither)
_HTML_TAG = re.compile(r"^[ \t]*<(?:!doctype|html|head|body|p|div|br|span|font|table|section|article|h[1-6]|img|a)\b",
                       re.IGNORECASE | re.MULTILINE)


def read_text(raw: str, source: str, name: str | None = None
              ) -> tuple[Article | None, list[Problem]]:
    """Parse the decoded text of a file (front matter + HTML body)."""
    source = str(source)
    name = name if name is not None else Path(source).name
    raw = raw.lstrip("\ufeff")
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if not raw.strip():
        return None, [problem("E010", source)]

    m = _FM_OPEN.match(raw)
    if not m:
        if not _HTML_TAG.search(raw, 0, 1 << 16):   # a README, a table: not an article at all
            return None, [problem("N001", source)]
        return None, [problem("E020", source, reason="the file does not start with a '---' line")]
    close = _FM_CLOSE.search(raw, m.end()) if m.group().endswith("\n") else None
    if not close:
        return None, [problem("E020", source, reason="no closing '---' line")]
    fm = raw[m.end():close.start()]
    body = raw[close.end():]
    fm_line0 = raw.count("\n", 0, m.end())  # 0-based file line of the front matter's first line

    loaded, err_line, tolerant = _parse_front_matter(fm)
    if err_line is not None:
        return None, [problem("E021", source, line=fm_line0 + err_line + 1)]
    if tolerant is not None:
        meta = tolerant
    elif loaded is None:
        meta = {}
    elif not isinstance(loaded, dict):
        return None, [problem("E022", source, found=type(loaded).__name__)]
    else:
        meta = loaded
        if "title" in meta and not isinstance(meta["title"], str) and meta["title"] is not None:
            try:  # title: 2021 / title: yes -> the text as written
                meta["title"] = _tolerant_front_matter(fm).get("title", meta["title"])
            except _FrontMatterError:
                pass

    problems: list[Problem] = []
    title = normalise(_scalar_text(meta.get("title")) or "")
    title = fix_title_quotes(title)
    author = normalise(_scalar_text(meta.get("author")) or "") or None
    raw_date = meta.get("date")
    iso_date = parse_date(raw_date)
    if iso_date is None:
        shown = normalise(_scalar_text(raw_date) or "")[:60]
        problems.append(problem("W040", source, value=repr(shown) if shown else "missing"))

    lines, original_title, origin = _body_lines(body)
    if not title:
        problems.append(problem("W041", source))
        title = original_title or ""
    if not lines:
        return None, [problem("E030", source, title=title or "(none)")]
    text = "\n".join(lines)
    sentences = split_sentences(text, paragraph_starts(text))
    if not sentences:
        return None, [problem("E031", source, title=title or "(none)")]
    article = Article(source=source, name=name, title=title, date=iso_date, author=author,
                      text=text, sentences=sentences, original_title=original_title, origin=origin)
    return article, problems
