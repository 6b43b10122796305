"""Score the institutional links the extractor finds against the `gold.links` of corpus manifests.

    python -m benchmarks.evaluate_links [--part dev|held-out|all] [--location] [--details] DIR ...

Matching follows `LINKS.md` of the shared corpus:
- a predicted link matches a gold link when their types agree (strict score; the family score
  counts requestedCooperation, consultation and memorandumOfUnderstanding as cooperation) and each
  endpoint's entity has the gold name among its English names in the authority (the same test as
  the entity scoring of `benchmarks.evaluate`);
- the symmetric types (cooperation, consultation, memorandumOfUnderstanding) match either way round;
- matching is one to one: certain gold links take their predictions first (in gold order), then
  uncertain gold links take what is left; a prediction matched by an uncertain gold link is neither
  a true nor a false positive, and an unmatched uncertain gold link is not a miss;
- location is ignored by default (as the annotators' own tool does); `--location` also requires the
  paragraph to agree (gold `OP3`, `PP2/FN1` and `ANNEX2/OP3` against the extractor's paragraph id).

The split: every gold document is `dev` or `held-out` by a stable hash of its file name (see
`split`); develop on `dev`, look at `held-out` only to report.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.evaluate import Score
from benchmarks.evaluate import _gold_forms as _entity_gold_forms
from benchmarks.evaluate import _normal as _entity_normal

SYMMETRIC = {"cooperation", "consultation", "memorandumOfUnderstanding"}
FAMILY = {"requestedCooperation": "cooperation", "consultation": "cooperation",
          "memorandumOfUnderstanding": "cooperation"}
TYPES = ("memberOf", "observerStatus", "cooperation", "requestedCooperation", "consultation",
         "memorandumOfUnderstanding", "reportRequested", "agendaInclusion", "onBehalfOf")


def _digest(file: str) -> str:
    return hashlib.sha256(Path(file).name.encode("utf-8")).hexdigest()


def split(files: list[str]) -> dict[str, str]:
    """The documents of one manifest sorted by the SHA-256 of their file name (stable across
    machines and runs): every third (positions 2, 5, 8 …) is `held-out`, the others `dev`."""
    ordered = sorted(files, key=_digest)
    return {f: ("held-out" if i % 3 == 2 else "dev") for i, f in enumerate(ordered)}


@dataclass(frozen=True)
class Predicted:
    type: str
    subject: str  # entity key
    object: str
    paragraph: str
    names_s: frozenset[str]  # normalised English names of the endpoints
    names_o: frozenset[str]
    text: str = ""


@dataclass
class LinkScores:
    strict: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in TYPES})
    family: dict[str, Score] = field(default_factory=dict)
    neutral: int = 0  # predictions matched by an uncertain gold link
    errors: list[str] = field(default_factory=list)  # per-document listing for --details

    @staticmethod
    def total(scores: dict[str, Score]) -> Score:
        out = Score()
        for s in scores.values():
            out.tp, out.fp, out.fn = out.tp + s.tp, out.fp + s.fp, out.fn + s.fn
        return out


def _normal(name: str) -> str:
    return _entity_normal(name.replace("\u2019", "'"))  # typographic apostrophes


def _gold_forms(name: str) -> set[str]:
    return _entity_gold_forms(name.replace("\u2019", "'"))


def _same_place(gold_location: str | None, paragraph: str) -> bool:
    if not gold_location:
        return True
    parts = [p for p in gold_location.split("/") if not p.startswith("FN")]
    return "/".join(parts) == paragraph or gold_location == paragraph


def _matches(pred: Predicted, gold: dict, family: bool, location: bool) -> bool:
    kind = FAMILY.get(pred.type, pred.type) if family else pred.type
    want = FAMILY.get(gold["type"], gold["type"]) if family else gold["type"]
    if kind != want:
        return False
    if location and not _same_place(gold.get("location"), pred.paragraph):
        return False
    gs, go = _gold_forms(gold["subject"]), _gold_forms(gold["object"])
    if gs & pred.names_s and go & pred.names_o:
        return True
    return want in SYMMETRIC and bool(gs & pred.names_o and go & pred.names_s)


def match(preds: list[Predicted], golds: list[dict], *, family: bool = False,
          location: bool = False) -> tuple[list[tuple[dict, Predicted]], list[dict],
                                           list[Predicted], int]:
    """One-to-one matching: (matched pairs, missed certain gold, false predictions, neutral)."""
    free = list(preds)
    pairs: list[tuple[dict, Predicted]] = []
    missed: list[dict] = []
    neutral = 0
    for certain in (True, False):
        for g in golds:
            if bool(g.get("uncertain")) == certain:
                continue
            hit = next((p for p in free if _matches(p, g, family, location)), None)
            if hit is None:
                if certain:
                    missed.append(g)
                continue
            free.remove(hit)
            if certain:
                pairs.append((g, hit))
            else:
                neutral += 1
    return pairs, missed, free, neutral


def _key(kind: str, family: bool) -> str:
    return FAMILY.get(kind, kind) if family else kind


def score_document(preds: list[Predicted], golds: list[dict], scores: LinkScores, *,
                   location: bool = False, label: str = "") -> None:
    golds = [g for g in golds if not g.get("requested_only")] + [
        g for g in golds if g.get("requested_only")]
    for family in (False, True):
        table = scores.family if family else scores.strict
        pairs, missed, extra, neutral = match(preds, golds, family=family, location=location)
        for g, _ in pairs:
            table.setdefault(_key(g["type"], family), Score()).tp += 1
        for g in missed:
            table.setdefault(_key(g["type"], family), Score()).fn += 1
        for p in extra:
            table.setdefault(_key(p.type, family), Score()).fp += 1
        if family:
            continue
        scores.neutral += neutral
        for g in missed:
            scores.errors.append(f"{label}\tFN {g['type']}: {g['subject']} -> {g['object']} "
                                 f"[{g.get('location')}] «{g.get('surface', '')[:110]}»")
        for p in extra:
            scores.errors.append(f"{label}\tFP {p.type}: {p.subject} -> {p.object} "
                                 f"[{p.paragraph}] «{p.text[:110]}»")


def _predictions(docs: Iterable) -> list[Predicted]:
    from unkg.extract.entities import english_names

    def names(key: str, label: str) -> frozenset[str]:
        return frozenset({_normal(n) for n in english_names(key)} | {_normal(label)})

    return [Predicted(ln.type, ln.subject, ln.object, ln.paragraph,
                      names(ln.subject, ln.subject_label), names(ln.object, ln.object_label),
                      ln.text)
            for d in docs for ln in d.links]


def evaluate_links(corpus_dirs: list[Path], part: str = "dev", *,
                   location: bool = False) -> tuple[LinkScores, int]:
    """Score every manifest document of `part` ("dev", "held-out" or "all") that has link gold."""
    from unkg.loaders import load_file

    scores = LinkScores()
    count = 0
    for corpus_dir in corpus_dirs:
        manifest = json.loads((corpus_dir / "manifest.json").read_text(encoding="utf-8"))
        parts = split([e["file"] for e in manifest["documents"]
                       if (e.get("gold") or {}).get("links") is not None])
        for entry in manifest["documents"]:
            golds = (entry.get("gold") or {}).get("links")
            if golds is None or (part != "all" and parts[entry["file"]] != part):
                continue
            count += 1
            preds = _predictions(load_file(corpus_dir / entry["file"]))
            score_document(preds, golds, scores, location=location,
                           label=f"{corpus_dir.name}/{entry['file']}")
    return scores, count


def format_scores(scores: LinkScores, title: str) -> str:
    head = f"{'type':<26} {'gold':>5} {'found':>5} {'P':>6} {'R':>6} {'F1':>6}"
    lines = [title, head, "-" * len(head)]
    for name, table in (("strict", scores.strict), ("family", scores.family)):
        for kind in [t for t in TYPES if t in table]:
            s = table[kind]
            if s.tp + s.fp + s.fn == 0:
                continue
            lines.append(f"{kind:<26} {s.tp + s.fn:5d} {s.tp + s.fp:5d} {s.precision:6.3f} "
                         f"{s.recall:6.3f} {s.f1:6.3f}")
        t = LinkScores.total(table)
        lines.append(f"{'overall (' + name + ')':<26} {t.tp + t.fn:5d} {t.tp + t.fp:5d} "
                     f"{t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f}")
        lines.append("-" * len(head))
    lines.append(f"predictions matched by uncertain gold (not counted): {scores.neutral}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.evaluate_links",
                                     description="Score institutional links against gold.links.")
    parser.add_argument("corpus", nargs="+", type=Path, help="folders holding manifest.json")
    parser.add_argument("--part", choices=("dev", "held-out", "all"), default="dev")
    parser.add_argument("--location", action="store_true",
                        help="also require the paragraph to agree with the gold location")
    parser.add_argument("--details", action="store_true", help="list every FN and FP")
    args = parser.parse_args(argv)
    for corpus in args.corpus:
        scores, count = evaluate_links([corpus], args.part, location=args.location)
        print(format_scores(scores, f"{corpus.name} ({args.part}, {count} documents)"))
        if args.details:
            print("\n".join(scores.errors))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
