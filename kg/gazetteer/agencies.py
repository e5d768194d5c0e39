"""Gazetteer of national (central) agencies and of local agency suffixes.

`data/agencies.tsv` lists the central bodies of the PRC (Party organs, State
Council bodies, NPC, CPPCC, courts, procuratorates, regulators, national
associations), each with the short forms the press uses, and former bodies
that still appear in archived news (status ``former``).

`data/agency_suffixes.tsv` lists the suffixes that make a LOCAL agency when
written after a region name or a relative prefix (上海市 + 委 → 上海市委,
市 + 政府 → 市政府), each with the canonical suffix used in the node's label
(政府 → 人民政府) and a coarse type.

Both files are plain TSV with ``#`` comment lines and a header row; they are
read with string splitting only, so loading is deterministic and fast.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

AGENCY_TYPES = frozenset({
    "party", "state_council", "ministry", "commission", "administration",
    "bureau", "court", "procuratorate", "legislature", "bank", "regulator",
    "association", "other",
})
AGENCY_STATUSES = frozenset({"current", "former"})
SUFFIX_TYPES = frozenset({
    "party", "government", "department", "court", "procuratorate",
    "association", "other",
})


@dataclass(frozen=True)
class AgencyRecord:
    name: str
    short: tuple[str, ...]
    type: str
    status: str
    jurisdiction: str

    @property
    def surfaces(self) -> tuple[str, ...]:
        """The full name followed by every short form."""
        return (self.name, *self.short)


class AgencyGazetteer:
    """Central agencies by surface form, plus local agency suffixes."""

    def __init__(self, records: list[AgencyRecord],
                 suffixes: dict[str, tuple[str, str]]):
        self.records: tuple[AgencyRecord, ...] = tuple(records)
        surfaces: dict[str, AgencyRecord] = {}
        for rec in self.records:
            for s in rec.surfaces:
                other = surfaces.get(s)
                if other is not None and other is not rec:
                    raise ValueError(
                        f"agency surface {s!r} is shared by {other.name!r} and {rec.name!r}")
                surfaces[s] = rec
        self._surfaces = surfaces
        self._suffixes = dict(suffixes)

    def surfaces(self) -> dict[str, AgencyRecord]:
        """Full name and every short form -> record (a copy)."""
        return dict(self._surfaces)

    def lookup(self, surface: str) -> AgencyRecord | None:
        return self._surfaces.get(surface.strip()) if surface else None

    def suffixes(self) -> dict[str, tuple[str, str]]:
        """Local suffix surface -> (canonical suffix, type) (a copy)."""
        return dict(self._suffixes)

    def __len__(self) -> int:
        return len(self.records)


def _rows(filename: str) -> list[list[str]]:
    """Data rows of a TSV in data/: comment lines and the header row dropped."""
    text = (resources.files(__package__) / "data" / filename).read_text(encoding="utf-8")
    rows: list[list[str]] = []
    header_seen = False
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        rows.append([f.strip() for f in line.split("\t")] + [f"{filename}:{lineno}"])
    return rows


def _parse_agencies() -> list[AgencyRecord]:
    records = []
    for *fields, where in _rows("agencies.tsv"):
        if len(fields) != 5:
            raise ValueError(f"{where}: expected 5 columns, got {len(fields)}")
        name, short, typ, status, jurisdiction = fields
        if typ not in AGENCY_TYPES:
            raise ValueError(f"{where}: unknown type {typ!r}")
        if status not in AGENCY_STATUSES:
            raise ValueError(f"{where}: unknown status {status!r}")
        shorts = tuple(s.strip() for s in short.split("|") if s.strip())
        records.append(AgencyRecord(name, shorts, typ, status, jurisdiction))
    return records


def _parse_suffixes() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for *fields, where in _rows("agency_suffixes.tsv"):
        if len(fields) != 3:
            raise ValueError(f"{where}: expected 3 columns, got {len(fields)}")
        surface, canonical, typ = fields
        if typ not in SUFFIX_TYPES:
            raise ValueError(f"{where}: unknown suffix type {typ!r}")
        if surface in out:
            raise ValueError(f"{where}: duplicate suffix {surface!r}")
        out[surface] = (canonical or surface, typ)
    return out


@lru_cache(maxsize=1)
def load_agencies() -> AgencyGazetteer:
    return AgencyGazetteer(_parse_agencies(), _parse_suffixes())
