"""Synthetic corpus generator: General Assembly resolutions built from templates, at any scale.

The texts look like the bulk corpus's PDF-extracted resolutions (cover block, session, agenda item,
preambular and operative paragraphs, footnotes after a rule, the adoption line) and carry what the
pipeline extracts: citations of earlier resolutions (mostly of documents in the same synthetic
corpus, so the citation network is connected), Security Council resolutions, reports, and mentions
of organisations, UN bodies and Member States. Output is the bulk corpus's JSON Lines format,
sharded into `.jsonl.gz` files so the per-file parallel pipeline has units to spread.

Deterministic for a given seed. Run: `python -m benchmarks.synthetic N OUT_DIR`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from unkg.ontology import data_file

TEMPLATES = Path(__file__).with_name("data") / "resolution_templates.json"
SESSIONS = list(range(70, 82))
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_EN_LABEL = re.compile(r'skos:prefLabel "([^"]+)"@en')


def _state_names() -> list[str]:
    """English names of the Member States in the authority data (so mentions can resolve)."""
    text = data_file("authority/states.ttl").read_text(encoding="utf-8")
    return sorted(set(_EN_LABEL.findall(text)))


def _session_year(session: int) -> int:
    return 1945 + session


def _date(rng: random.Random, year: int) -> dt.date:
    start = dt.date(year, 9, 15)
    return start + dt.timedelta(days=rng.randrange(0, 330))


def _meeting(adopted: dt.date) -> str:
    """One plenary meeting a day from the session's opening, so that a meeting number of a
    session always has one date (the data must be consistent for SHACL, as real data is)."""
    number = (adopted - dt.date(adopted.year if adopted.month >= 9 else adopted.year - 1, 9, 15)
              ).days + 1
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10,
                                                                                  "th")
    return f"{number}{suffix} plenary meeting "


def _long_date(d: dt.date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


class Generator:
    """Builds one resolution at a time; `records(n)` yields bulk-format JSON objects."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.t: dict[str, Any] = json.loads(TEMPLATES.read_text(encoding="utf-8"))
        self.states = _state_names()
        self.issued: list[tuple[str, dt.date]] = []  # (session/number, date) already generated

    def _cited_resolution(self, session: int) -> tuple[str, str]:
        rng = self.rng
        if self.issued and rng.random() < 0.8:
            ref, date = self.issued[rng.randrange(len(self.issued))]
            if int(ref.split("/")[0]) <= session:  # never cite the future
                return ref, _long_date(date)
        old = rng.randrange(40, session)
        return f"{old}/{rng.randrange(1, 330)}", _long_date(_date(rng, _session_year(old)))

    def _fill(self, template: str, ctx: dict[str, str], session: int) -> str:
        rng = self.rng
        values = dict(ctx)
        res, res_date = self._cited_resolution(session)
        res2, res2_date = self._cited_resolution(session)
        year = _session_year(session) - rng.randrange(1, 6)
        values.update(
            res=res, res_date=res_date, res2=res2, res2_date=res2_date,
            sc=f"{rng.randrange(1000, 2700)} ({rng.randrange(1995, _session_year(session))})",
            report=f"A/{session - 1}/{rng.randrange(100, 900)}",
            org=rng.choice(self.t["organizations"]), org2=rng.choice(self.t["organizations"]),
            body=rng.choice(self.t["bodies"]), state=rng.choice(self.states),
            state2=rng.choice(self.states), sg="Secretary-General", year=str(year),
            n=str(rng.randrange(1, 60)), n2=str(rng.randrange(10000, 60000)),
        )
        return template.format(**values)

    def record(self, index: int) -> dict[str, Any]:
        rng, t = self.rng, self.t
        session = SESSIONS[index % len(SESSIONS)]
        number = index // len(SESSIONS) + 1
        ref = f"{session}/{number}"
        symbol = f"A/RES/{ref}"
        adopted = _date(rng, _session_year(session))
        topic = rng.choice(t["topics"])
        ordinal = t["session_ordinals"][str(session + 1)]
        ctx = {"session_ord": ordinal, "org": rng.choice(t["organizations"])}
        title = topic["title"].format(org=ctx["org"])
        ctx["title"] = title
        footnotes: list[str] = []

        def paragraph(template: str) -> str:
            # "{fn}" survives str.format escaped, then becomes the next footnote number.
            text = self._fill(template.replace("{fn}", "{{fn}}"), ctx, session)
            if "{fn}" in text:
                footnotes.append(self._fill(rng.choice(t["footnotes"]), ctx, session))
                text = text.replace("{fn}", str(len(footnotes)))
            return text

        pre = [paragraph(rng.choice(t["preambular"])) for _ in range(rng.randrange(4, 12))]
        ops = [paragraph(rng.choice(t["operative"])) for _ in range(rng.randrange(3, 14))]
        ops[-1] = ops[-1].rstrip(";") + "."
        distr = adopted + dt.timedelta(days=rng.randrange(1, 10))
        job = f"{adopted.year % 100:02d}-{rng.randrange(10000, 99999)}"
        lines = [
            "United Nations ", symbol, "General Assembly ", "Distr.: General ",
            _long_date(distr), f"{job} (E)    {distr:%d%m%y}", f"*{job.replace('-', '')}*",
            f"{t['session_ordinals'][str(session)].capitalize()} session ",
            f"Agenda item {topic['item']}", "",
            "Resolution adopted by the General Assembly on ", _long_date(adopted), "",
            f"[without reference to a Main Committee (A/{session}/L.{rng.randrange(1, 90)})]",
            "", f"{ref}. {title}", "", "The General Assembly,",
        ]
        lines += pre
        lines += [f"{i}. {p}" for i, p in enumerate(ops, 1)]
        lines += ["", _meeting(adopted), _long_date(adopted)]
        if footnotes:
            lines += ["__________________"]
            lines += [f"{i} {f}" for i, f in enumerate(footnotes, 1)]
        self.issued.append((ref, adopted))
        return {
            "symbol": symbol, "language": "en", "date": adopted.isoformat(),
            "date_source": "synthetic", "title": f"{ref}. {title}",
            "body": "General Assembly", "doc_type": "resolution", "session": session,
            "text": "\n".join(lines) + "\n",
            "source": {"generator": "benchmarks.synthetic", "index": index},
        }

    def records(self, n: int) -> Iterator[dict[str, Any]]:
        for i in range(n):
            yield self.record(i)


def generate(n: int, out_dir: Path, *, per_file: int = 1000, seed: int = 7) -> list[Path]:
    """Write `n` synthetic resolutions to `out_dir/synthetic_NNNNN.jsonl.gz` shards."""
    out_dir.mkdir(parents=True, exist_ok=True)
    gen = Generator(seed)
    paths: list[Path] = []
    fh = None
    for i, rec in enumerate(gen.records(n)):
        if i % per_file == 0:
            if fh is not None:
                fh.close()
            path = out_dir / f"synthetic_{i // per_file:05d}.jsonl.gz"
            paths.append(path)
            fh = gzip.open(path, "wt", encoding="utf-8", compresslevel=1)
        assert fh is not None
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if fh is not None:
        fh.close()
    return paths


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of documents")
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--per-file", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    paths = generate(args.n, args.out_dir, per_file=args.per_file, seed=args.seed)
    print(f"{args.n} documents in {len(paths)} files under {args.out_dir}")


if __name__ == "__main__":
    main()
