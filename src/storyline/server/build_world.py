"""Build ``static/world.json``: a coarse world outline for the UI map (run once, by hand).

The UI may fetch nothing at run time, so the outline ships with the package. Source: the
Natural Earth 1:110m admin-0 countries (public domain) as bundled in the geopandas 0.14.4
wheel on PyPI (``geopandas/datasets/naturalearth_lowres``; BSD-3 package). The shapefile
and its dBASE table are read with ``struct`` so no GIS package is needed::

    pip download geopandas==0.14.4 --no-deps -d build/geopandas
    python -m storyline.server.build_world build/geopandas/geopandas-0.14.4-py3-none-any.whl

Output: ``{"source", "license", "countries": [{"iso3", "name", "d"}]}`` where ``d`` is an SVG
path in equirectangular coordinates x = lon + 180, y = 90 - lat (viewBox 0 0 360 180).
"""
from __future__ import annotations

import io
import json
import struct
import sys
import zipfile
from pathlib import Path

MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
OUT = Path(__file__).with_name("static") / "world.json"
# Natural Earth leaves ISO_A3 at -99 for a few sovereign states
ISO_FIX = {"France": "FRA", "Norway": "NOR", "Kosovo": "XKX", "N. Cyprus": "CYN", "Somaliland": "SOL"}


def read_dbf(data: bytes) -> list[dict[str, str]]:
    """Records of a dBASE III table as text fields."""
    n_rec, hdr_len, rec_len = struct.unpack("<xxxxIHH", data[:12])
    fields, pos = [], 32
    while data[pos] != 0x0D:
        name = data[pos:pos + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[pos + 16]))
        pos += 32
    rows = []
    for i in range(n_rec):
        rec = data[hdr_len + i * rec_len: hdr_len + (i + 1) * rec_len]
        off, row = 1, {}
        for name, length in fields:
            row[name] = rec[off:off + length].decode("utf-8", "replace").strip()
            off += length
        rows.append(row)
    return rows


def read_shp(data: bytes) -> list[list[list[tuple[float, float]]]]:
    """Polygon shapes (type 5) as lists of rings of (lon, lat)."""
    shapes, pos = [], 100
    while pos < len(data):
        _num, length = struct.unpack(">II", data[pos:pos + 8])
        body = data[pos + 8: pos + 8 + 2 * length]
        pos += 8 + 2 * length
        stype = struct.unpack("<i", body[:4])[0]
        if stype != 5:
            shapes.append([])
            continue
        n_parts, n_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", body[44:44 + 4 * n_parts]))
        pts_off = 44 + 4 * n_parts
        pts = [struct.unpack("<dd", body[pts_off + 16 * k: pts_off + 16 * (k + 1)]) for k in range(n_points)]
        rings = [pts[a:b] for a, b in zip(parts, parts[1:] + [n_points])]
        shapes.append(rings)
    return shapes


def ring_path(ring: list[tuple[float, float]], tol: float = 0.35) -> str:
    """Simplify a ring (drop points closer than ``tol`` degrees) into an SVG subpath."""
    kept: list[tuple[float, float]] = []
    for lon, lat in ring:
        x, y = round(lon + 180, 1), round(90 - lat, 1)
        if kept and abs(x - kept[-1][0]) < tol and abs(y - kept[-1][1]) < tol:
            continue
        kept.append((x, y))
    if len(kept) < 3:
        return ""
    return "M" + "L".join(f"{x:g} {y:g}" for x, y in kept) + "Z"


def build(wheel: str | Path) -> dict:
    with zipfile.ZipFile(wheel) as zf:
        shp = zf.read(MEMBER + ".shp")
        dbf = zf.read(MEMBER + ".dbf")
    countries = []
    for row, rings in zip(read_dbf(dbf), read_shp(shp)):
        d = "".join(ring_path(r) for r in rings)
        if not d:
            continue
        iso = row.get("iso_a3", "")
        if iso in ("", "-99"):
            iso = ISO_FIX.get(row.get("name", ""), "")
        countries.append({"iso3": iso, "name": row.get("name", ""), "d": d})
    return {
        "source": "Natural Earth 1:110m admin-0 countries, via the geopandas 0.14.4 wheel "
                  "(geopandas/datasets/naturalearth_lowres), simplified",
        "license": "Natural Earth: public domain",
        "countries": countries,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    world = build(argv[0])
    buf = io.StringIO()
    json.dump(world, buf, separators=(",", ":"), ensure_ascii=False)
    OUT.write_text(buf.getvalue() + "\n", encoding="utf-8")
    print(f"{OUT}: {len(world['countries'])} countries, {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
