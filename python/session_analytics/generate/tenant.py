"""CQD tenant data files (REFERENCE.md section 7): buildings and endpoints.

``buildings/buildings_<first day>.csv`` (comma separated, 15 columns) maps most of the
generated private networks (10.0-29.x.x: one /16 per site, some /24 floors inside, a
few VPN /32 rows); 10.30-40.x.x stay unmapped, so the Missing Subnet Report has rows.
A replacement ``buildings/buildings_<middle day>.tsv`` (tab separated, 14 columns)
renames the sites from the middle of the period. ``endpoints/endpoints_<first day>.csv``
lists client machines. No header rows: the files are as tenants upload them to CQD.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .common import IdBlock, open_text, rng_for

SITES = (
    ("Seattle", "98001", "US", "WA", "MSUS"), ("Oslo", "0150", "NO", "", "EMEA"),
    ("Dublin", "D02", "IE", "", "EMEA"), ("Tokyo", "100-0001", "JP", "", "APAC"),
)  # fmt: skip
MAPPED_SECOND_OCTETS = range(0, 30)


class TenantWriter:
    """The building file (and its replacement) and the endpoint file."""

    id_blocks: tuple[IdBlock, ...] = ()

    def __init__(self, out_dir: Path, seed: int, days: int) -> None:
        self.out_dir = Path(out_dir)
        self.seed = seed
        self.middle = days // 2
        self._counts = {"buildings": 0, "endpoints": 0}

    def write_day(self, index: int, day: dt.date, n: int) -> list[Path]:
        paths: list[Path] = []
        if index == 0:
            paths.append(self._buildings(day, ",", "csv", vpn=True, suffix=""))
            paths.append(self._endpoints(day))
        if index == self.middle and index > 0:
            paths.append(self._buildings(day, "\t", "tsv", vpn=False, suffix="-2"))
        return paths

    def finish(self, next_day: dt.date) -> list[Path]:
        return []

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def _buildings(
        self, day: dt.date, sep: str, ext: str, vpn: bool, suffix: str
    ) -> Path:
        rng = rng_for(self.seed, "buildings", day.isoformat())
        rows: list[list[str]] = []
        for octet in MAPPED_SECOND_OCTETS:
            city, zip_code, country, state, region = SITES[octet % len(SITES)]
            site = f"{city.upper()}-{octet:02d}{suffix}"
            rows.append([f"10.{octet}.0.0", f"{country}/{city}/{site}", "16", site,
                         "Contoso", "Office", "Mixed", city, zip_code, country, state,
                         region, "1", "1" if octet % 5 == 0 else "0"])  # fmt: skip
            for floor in sorted(rng.sample(range(256), 2)):
                name = f"{site}-F{floor}"
                rows.append([f"10.{octet}.{floor}.0", f"{country}/{city}/{name}", "24",
                             name, "Contoso", "Office", "Engineering", city, zip_code,
                             country, state, region, "1", "0"])  # fmt: skip
        if vpn:
            for address in sorted(rng.sample(range(2, 250), 4)):
                rows.append(
                    [
                        f"10.35.0.{address}",
                        "VPN/Global/Pool",
                        "32",
                        "VPN-POOL",
                        "Contoso",
                        "VPN",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "1",
                        "0",
                    ]
                )
        if vpn:  # the optional 15th column, VPN: 1 for the VPN pool rows
            rows = [row + ["1" if row[5] == "VPN" else "0"] for row in rows]
        text = "".join(sep.join(row) + "\n" for row in rows)
        path = self.out_dir / "buildings" / f"buildings_{day.isoformat()}.{ext}"
        with open_text(path) as fh:
            fh.write(text)
        self._counts["buildings"] += len(rows)
        return path

    def _endpoints(self, day: dt.date) -> Path:
        rng = rng_for(self.seed, "endpoints", day.isoformat())
        models = (
            ("Surface Laptop 5", "Laptop"),
            ("Teams Room Pro", "Room"),
            ("Poly CCX 600", "IP phone"),
            ("Latitude 7440", "Laptop"),
        )
        lines = []
        for number in range(1, 41):
            model, kind = models[rng.randrange(len(models))]
            lines.append(f"CONTOSO-{number:04d},{model},{kind},Fleet {number % 3},,\n")
        path = self.out_dir / "endpoints" / f"endpoints_{day.isoformat()}.csv"
        with open_text(path) as fh:
            fh.write("".join(lines))
        self._counts["endpoints"] += len(lines)
        return path
