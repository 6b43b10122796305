"""Score the loaders against the hand-checked gold of a corpus (default: the bundled corpus, whose
gold is `benchmarks/gold/corpus-manifest.json`; the product never reads it).

    python -m benchmarks.evaluate [--details] [--split dev|held-out] [CORPUS_DIR]

Per document and overall: precision, recall and F1 of citations and of entity mentions (distinct
entities found, each paired with at most one gold `entities[].name` that is one of its English
names in the authority, see `match_entities`), plus citation-function accuracy. Gold items with
`symbol: null` are skipped. Citations are scored two ways:

- lenient: distinct target symbols per document; a gold citation's function is right when any
  found citation of that target, anywhere in the document, has it;
- strict: per (symbol, paragraph), the paragraph read from the gold `location` (`PP4`, `OP2`,
  `ANNEX2/PP1`, `HDR`; `PP4/FN2` is footnote 2; `BODY`, `LIST` and an unnumbered `PP` name no
  number, so they match any paragraph of that kind); a gold occurrence's function is right when a
  citation found at that occurrence has it.

A gold `verb` is mapped to a function by the annotators' codes (`benchmarks/gold/verb-codes.json`)
or else by the vocabulary's own labels (`Rappelant`, `takes note with appreciation` …).

`--split` scores one part of a fixed split of the gold documents (`split_of`): develop on `dev`,
look at `held-out` only to report.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, found: set[str], gold: set[str]) -> None:
        self.tp += len(found & gold)
        self.fp += len(found - gold)
        self.fn += len(gold - found)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DocumentResult:
    file: str
    citations: Score = field(default_factory=Score)
    entities: Score = field(default_factory=Score)
    functions_right: int = 0
    functions_total: int = 0
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    entities_missing: list[str] = field(default_factory=list)
    entities_extra: list[str] = field(default_factory=list)  # "label ← surface | surface"
    error: str | None = None


@dataclass
class Evaluation:
    documents: list[DocumentResult]
    citations: Score
    entities: Score
    functions_right: int
    functions_total: int
    # The same entity scoring with no aliases: a found entity's English label must equal the
    # gold name (case and spacing aside). The lower bound a scorer without our authority sees.
    entities_exact: Score = field(default_factory=Score)
    citations_strict: Score = field(default_factory=Score)  # per (symbol, paragraph)
    functions_strict_right: int = 0  # per gold occurrence found
    functions_strict_total: int = 0

    @property
    def function_accuracy(self) -> float:
        return self.functions_right / self.functions_total if self.functions_total else 1.0

    @property
    def function_accuracy_strict(self) -> float:
        total = self.functions_strict_total
        return self.functions_strict_right / total if total else 1.0


GOLD = Path(__file__).parent / "gold"
CORPUS_MANIFEST = GOLD / "corpus-manifest.json"


def gold_manifest(corpus_dir: Path | None = None) -> dict[str, Any]:
    """The gold manifest of a corpus: `manifest.json` in its folder (the shared corpus has one),
    else the bundled corpus's, `benchmarks/gold/corpus-manifest.json`."""
    path = corpus_dir / "manifest.json" if corpus_dir is not None else CORPUS_MANIFEST
    if not path.is_file():
        path = CORPUS_MANIFEST
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _verb_codes() -> dict[str, str]:
    return json.loads((GOLD / "verb-codes.json").read_text(encoding="utf-8"))["codes"]


def function_for_verb(verb: str) -> str | None:
    """The function a gold `verb` stands for: an annotator's code (`document_list` → cites), else
    the function whose label is the verb (case and `_` insensitive): `Rappelant` → recalls."""
    from unkg.extract.functions import function_labels

    code = _verb_codes().get(re.sub(r"[\s_]+", "_", verb.strip().lower()))
    if code is not None:
        return code
    wanted = re.sub(r"[_\s]+", " ", verb).strip().lower()
    candidates = [wanted]
    for extra in (r"^continues to ", r" (?:also|further|again)$", r"^(?:also|further) "):
        stripped = re.sub(extra, "", wanted)
        if stripped != wanted:
            candidates.append(stripped)
    for cand in candidates:
        for fl in function_labels():
            if fl.label.lower().replace("…", "").strip() == cand:
                return fl.concept
    for cand in candidates:  # a verb whose label is a prefix of it
        for fl in function_labels():
            if fl.pattern.fullmatch(cand):
                return fl.concept
    return None


# A gold location naming no number matches any paragraph of its kind.
_COARSE = {"BODY": re.compile(r"P\d+"), "LIST": re.compile(r"P\d+"), "PP": re.compile(r"PP\d+")}


def gold_place(location: str | None) -> str:
    """Where a gold citation is, in the found citations' terms: the footnote (`PP4/FN2` → FN2)
    or the paragraph id (`PP4`, `ANNEX2/PP1`, `HDR`; `BODY`, `LIST`, `PP` stay coarse)."""
    location = (location or "").strip()
    _, _, tail = location.rpartition("/")
    return tail if tail.startswith("FN") else location


def found_place(citation: Any) -> str:
    return citation.footnote or citation.paragraph or ""


def match_occurrences(found: dict[tuple[str, str], set[str]],
                      gold: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """Pair gold occurrences (symbol, place) with found ones, one to one: exact places first, then
    coarse ones (`BODY`) with any remaining found place of their kind, in document order."""
    paired: dict[tuple[str, str], tuple[str, str]] = {}
    used: set[tuple[str, str]] = set()
    for exact in (True, False):
        for key in gold:
            if key in paired or (key[1] not in _COARSE) == (not exact):
                continue
            symbol, place = key
            pattern = _COARSE.get(place)
            for f in found:
                if f in used or f[0] != symbol:
                    continue
                if (f[1] == place) if exact else bool(pattern and pattern.fullmatch(f[1])):
                    paired[key] = f
                    used.add(f)
                    break
    return paired


SPLITS = ("dev", "held-out")


def split_of(file: str) -> str:
    """The fixed part of a gold document: "held-out" when the first 8 hex digits of the SHA-256 of
    its file name (no folder) are 0 modulo 4 (about a quarter), else "dev". Stable across machines
    and manifests, and a new document falls in a part by its name alone."""
    digest = hashlib.sha256(Path(file).name.encode("utf-8")).hexdigest()
    return "held-out" if int(digest[:8], 16) % 4 == 0 else "dev"


def default_corpus() -> Path:
    from importlib import resources

    return Path(str(resources.files("unkg.data").joinpath("corpus")))


def evaluate(corpus_dir: Path | None = None, split: str | None = None) -> Evaluation:
    """Run the loaders over every manifest entry that has a file (of `split` only, when given:
    "dev" or "held-out", see `split_of`), and score them."""
    from unkg.errors import UnkgError
    from unkg.loaders import load_file

    corpus_dir = Path(corpus_dir or default_corpus())
    manifest = gold_manifest(corpus_dir)
    results: list[DocumentResult] = []
    total_cit, total_ent, total_exact, total_strict = Score(), Score(), Score(), Score()
    right = total = strict_right = strict_total = 0
    for entry in manifest["documents"]:
        if split is not None and split_of(entry["file"]) != split:
            continue
        path = corpus_dir / entry["file"]
        result = DocumentResult(entry["file"])
        gold = entry.get("gold") or {}
        gold_cits = [c for c in gold.get("citations", []) if c.get("symbol")]
        gold_targets = {c["symbol"] for c in gold_cits}
        gold_entities = {e["name"] for e in gold.get("entities", []) if e.get("name")}
        try:
            docs = load_file(path)
        except UnkgError as err:
            result.error = str(err)
            docs = []
        found_targets = {c.target for d in docs for c in d.citations}
        found_entities = {m.label: m.entity for d in docs for m in d.mentions}
        result.citations.add(found_targets, gold_targets)
        total_exact.add({_normal(label) for label in found_entities},
                        {_normal(name) for name in gold_entities})
        matched = match_entities(found_entities, gold_entities)
        result.entities.tp = len(matched)
        result.entities.fp = len(found_entities) - len(matched)
        result.entities.fn = len(gold_entities) - len(matched)
        result.missing = sorted(gold_targets - found_targets)
        result.entities_missing = sorted(gold_entities - set(matched.values()))
        surfaces: dict[str, set[str]] = {}
        for d in docs:
            for m in d.mentions:
                surfaces.setdefault(m.label, set()).add(m.text)
        result.entities_extra = [f"{label} <- {' | '.join(sorted(surfaces[label]))}"
                                 for label in sorted(set(found_entities) - set(matched))]
        result.extra = sorted(found_targets - gold_targets)
        functions: dict[str, set[str]] = {}
        for d in docs:
            for c in d.citations:
                functions.setdefault(c.target, set()).add(c.function)
        for c in gold_cits:
            wanted = function_for_verb(c.get("verb") or "")
            if wanted is None or c["symbol"] not in functions:
                continue
            result.functions_total += 1
            result.functions_right += wanted in functions[c["symbol"]]
        # strict: per (symbol, paragraph), functions per occurrence
        at_place: dict[tuple[str, str], set[str]] = {}
        for d in docs:
            for c in d.citations:
                at_place.setdefault((c.target, found_place(c)), set()).add(c.function)
        gold_at = list(dict.fromkeys((c["symbol"], gold_place(c.get("location")))
                                     for c in gold_cits))
        paired = match_occurrences(at_place, gold_at)
        total_strict.tp += len(paired)
        total_strict.fp += len(at_place) - len(paired)
        total_strict.fn += len(gold_at) - len(paired)
        for c in gold_cits:
            wanted = function_for_verb(c.get("verb") or "")
            occurrence = paired.get((c["symbol"], gold_place(c.get("location"))))
            if wanted is None or occurrence is None:
                continue
            strict_total += 1
            strict_right += wanted in at_place[occurrence]
        total_cit.tp += result.citations.tp
        total_cit.fp += result.citations.fp
        total_cit.fn += result.citations.fn
        total_ent.tp += result.entities.tp
        total_ent.fp += result.entities.fp
        total_ent.fn += result.entities.fn
        right += result.functions_right
        total += result.functions_total
        results.append(result)
    return Evaluation(results, total_cit, total_ent, right, total, total_exact,
                      total_strict, strict_right, strict_total)


_QUALIFIER = re.compile(r"\s*\([^()]*\)$")
_DASHES = str.maketrans({"\u2019": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"})


def _normal(name: str) -> str:
    return " ".join(name.translate(_DASHES).casefold().split())


def _gold_forms(name: str) -> set[str]:
    """A gold name and, when it ends with an annotator's qualifier in brackets ("Legal
    Subcommittee (COPUOS)", "Czech Republic (Czechia)"), the name without it."""
    return {_normal(name), _normal(_QUALIFIER.sub("", name))}


def match_entities(found: dict[str, str], gold: set[str]) -> dict[str, str]:
    """Pair found entities (English label → entity key) with gold names, one to one.

    A gold name matches a found entity when it equals (case, spacing and dash shapes aside) any
    English name the authority holds for that entity — its prefLabel, an altLabel, an acronym, a
    post's title composed with its organisation's names — so the gold may name a body the way one
    document does and the authority another. A person's only name is the label found.
    Returns found label → gold name (a maximum matching, by augmenting paths).
    """
    from unkg.extract.entities import english_names

    candidates: dict[str, list[str]] = {}
    for label, key in found.items():
        names = {_normal(n) for n in english_names(key)} | {_normal(label)}
        candidates[label] = [g for g in sorted(gold) if _gold_forms(g) & names]
    owner: dict[str, str] = {}  # gold name → found label

    def augment(label: str, seen: set[str]) -> bool:
        for g in candidates[label]:
            if g in seen:
                continue
            seen.add(g)
            if g not in owner or augment(owner[g], seen):
                owner[g] = label
                return True
        return False

    for label in sorted(found):
        augment(label, set())
    return {label: g for g, label in owner.items()}


def format_table(ev: Evaluation) -> str:
    head = (
        f"{'document':<48} {'cit P':>6} {'cit R':>6} {'cit F1':>6} {'ent P':>6} {'ent R':>6} "
        f"{'ent F1':>6} {'fn acc':>7}"
    )
    lines = [head, "-" * len(head)]
    for r in ev.documents:
        acc = f"{r.functions_right}/{r.functions_total}"
        lines.append(
            f"{r.file[:48]:<48} {r.citations.precision:6.3f} {r.citations.recall:6.3f} "
            f"{r.citations.f1:6.3f} {r.entities.precision:6.3f} {r.entities.recall:6.3f} "
            f"{r.entities.f1:6.3f} {acc:>7}"
        )
    lines.append("-" * len(head))
    c, e = ev.citations, ev.entities
    lines.append(
        f"{'overall':<48} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {e.precision:6.3f} "
        f"{e.recall:6.3f} {e.f1:6.3f} {ev.function_accuracy:7.3f}"
    )
    lines.append(f"citation-function accuracy: {ev.functions_right}/{ev.functions_total}")
    s = ev.citations_strict
    lines.append(f"strict, citations per (symbol, paragraph): P {s.precision:.3f} "
                 f"R {s.recall:.3f} F1 {s.f1:.3f}; citation functions per occurrence: "
                 f"{ev.functions_strict_right}/{ev.functions_strict_total} "
                 f"({ev.function_accuracy_strict:.3f})")
    x = ev.entities_exact
    lines.append(f"entities with exact English labels only (no aliases): P {x.precision:.3f} "
                 f"R {x.recall:.3f} F1 {x.f1:.3f}")
    for r in ev.documents:
        if r.missing or r.extra or r.error:
            lines.append(
                f"  {r.file}: missing {r.missing} extra {r.extra}"
                + (f" error {r.error}" if r.error else "")
            )
    return "\n".join(lines)


def format_entity_details(ev: Evaluation) -> str:
    """Per document: gold entity names not matched (FN) and names found but not in the gold (FP),
    the latter with the surface forms that produced them."""
    lines = []
    for r in ev.documents:
        if not (r.entities_missing or r.entities_extra):
            continue
        lines.append(r.file)
        lines.extend(f"  FN {name}" for name in r.entities_missing)
        lines.extend(f"  FP {item}" for item in r.entities_extra)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.evaluate",
        description="Score the loaders against the gold annotations of a corpus manifest.")
    parser.add_argument("corpus", nargs="?", type=Path,
                        help="folder of the corpus, holding its manifest.json (default: the "
                             "bundled corpus, scored against benchmarks/gold/corpus-manifest.json)")
    parser.add_argument("--split", choices=SPLITS,
                        help="score only this part of the fixed dev/held-out split")
    parser.add_argument("--details", action="store_true",
                        help="list entity false positives and negatives per document")
    args = parser.parse_args(argv)
    ev = evaluate(args.corpus, args.split)
    print(format_table(ev))
    if args.details:
        print(format_entity_details(ev))
    return 0


if __name__ == "__main__":
    sys.exit(main())
