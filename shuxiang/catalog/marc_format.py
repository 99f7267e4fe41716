"""ISO 2709 and MARCXML constants shared by the MARC reader, mapping and writers."""

from __future__ import annotations

RECORD_END = b"\x1d"
FIELD_END = "\x1e"
SUBFIELD = "\x1f"
MAX_RECORD = 99_999  # five digits of record length in the leader
MARCXML_NS = "http://www.loc.gov/MARC21/slim"

Subfields = list[tuple[str, str]]
Field = tuple[str, str]  # (tag, control data or indicators + subfields)
