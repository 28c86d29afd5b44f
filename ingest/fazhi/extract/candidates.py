"""Stages "find quantities", "tables" and "attribute" together: a normalised report -> its
indicator candidates (the table cells by the table stage, every other number by the grammar)."""
from __future__ import annotations

from fazhi import tables
from fazhi.extract.attribute import attribute, to_candidates
from fazhi.extract.quantities import find_quantities
from fazhi.extract.wraps import prose_view
from fazhi.normalise import Normalised
from fazhi.place.gazetteer import Place
from fazhi.records import Candidate

__all__ = ["extract_candidates"]


def extract_candidates(norm: Normalised, report_year: int | None, html_tables=(),
                       place: Place | None = None, issuer: str | None = None) -> list[Candidate]:
    """The indicator candidates of a normalised text: table cells by the table stage, every other
    number by the clause grammar (`place`: the report's jurisdiction, when resolved; `issuer`: the
    organ the report is by, when named). Pure."""
    reading = tables.read_tables(norm, report_year, html_tables)
    view = prose_view(norm)  # sentences wrapped across lines joined
    cells = reading.value_spans if view is norm else \
        [view.to_view(*norm.to_original(s, e)) for s, e in reading.value_spans]
    # the number cells of a table are read by the table stage, not as prose
    prose = tables.outside(find_quantities(view.text), cells)
    candidates = to_candidates(attribute(view.text, prose, report_year, place=place, issuer=issuer), view)
    return candidates + tables.to_candidates(reading.facts, norm)
