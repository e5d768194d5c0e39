"""Context: which region a passage speaks of, and canonical entities.

市委 in a Shanghai passage is 上海市委; 区教委 in a Beijing passage belongs
to 北京市; a generic title like 《实施意见》 is keyed by its issuer so two
cities' 《实施意见》 stay two documents.  Everything that turns a surface
into a canonical `Entity` lives here, so one entity gets one key.
"""
from __future__ import annotations

import re
import unicodedata

from .gazetteer.regions import NATIONAL_CODE, RegionGazetteer, RegionRecord
from .model import Entity

MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
_QUOTES = re.compile(r"[“”‘’\"'「」『』《》〈〉\s]")


def norm(text: str) -> str:
    """Comparison form: NFKC, no quotes, no white space."""
    return _QUOTES.sub("", unicodedata.normalize("NFKC", text))


# -- regions -------------------------------------------------------------------

def region_entity(rec: RegionRecord) -> Entity:
    props: list[tuple[str, object]] = []
    if rec.code != NATIONAL_CODE:
        props.append(("divisionCode", rec.code))
    if rec.parent:
        props.append(("partOf", rec.parent))
    return Entity("Region", rec.code, rec.name, tuple(props))


def city_of(gaz: RegionGazetteer, rec: RegionRecord) -> RegionRecord:
    """The city a 市-relative name refers to from inside `rec`."""
    chain = [rec] + gaz.ancestors(rec.code)
    for r in chain:
        if r.level == 2 or r.code in MUNICIPALITIES or (r.level == 3 and r.name.endswith("市") and r is rec):
            return r
    return rec


def province_of(gaz: RegionGazetteer, rec: RegionRecord) -> RegionRecord:
    chain = [rec] + gaz.ancestors(rec.code)
    for r in chain:
        if r.level == 1:
            return r
    return rec


def relative_region(gaz: RegionGazetteer, prefix: str, in_force: RegionRecord) -> RegionRecord | None:
    """The region meant by 市/省/区/县 in a passage about `in_force`."""
    if in_force.code == NATIONAL_CODE:
        return None
    if prefix == "省":
        p = province_of(gaz, in_force)
        return p if p.name.endswith("省") else None
    if prefix in ("市", "州"):
        return city_of(gaz, in_force)
    if prefix in ("区", "县", "旗"):
        return in_force
    if prefix == "自治区":
        p = province_of(gaz, in_force)
        return p if p.name.endswith("自治区") else None
    return None


# -- agencies ------------------------------------------------------------------

def agency_entity(name: str, jurisdiction: str) -> Entity:
    return Entity("Agency", name, name, (("jurisdiction", jurisdiction),))


def local_agency(region: RegionRecord, suffix: str, collective: bool = False) -> Entity:
    """上海市 + 委 -> 上海市委; 北京市 + (各区) + 教委 -> 北京市各区教委."""
    name = region.name + ("各区" if collective else "") + suffix
    return agency_entity(name, region.code)


def government_of(region: RegionRecord) -> Entity:
    """The government of a region: its 人民政府, or 国务院 for the nation."""
    if region.code == NATIONAL_CODE:
        return agency_entity("国务院", NATIONAL_CODE)
    return local_agency(region, "人民政府")


# -- documents -----------------------------------------------------------------

GENERIC_TITLE_MAX = 8


def document_entity(title: str, issuer_key: str | None, specific: bool) -> Entity:
    """Specific titles are one node everywhere; generic ones one per issuer."""
    label = title.strip()
    key = norm(label) if specific or not issuer_key else f"{issuer_key}|{norm(label)}"
    return Entity("Document", key, label)


# -- measures ------------------------------------------------------------------

def measure_entity(label: str, region: RegionRecord) -> Entity:
    """A measure is one node per region and normalised name."""
    return Entity("Measure", f"{region.code}|{norm(label)}", label)
