"""Score the loaders against the hand-checked gold of a corpus (default: the bundled corpus).

    python -m benchmarks.evaluate [CORPUS_DIR]

Per document and overall: precision, recall and F1 of citations (distinct target symbols per
document; gold items with `symbol: null` are skipped) and of entity mentions (distinct English
entity names, `Mention.label` against gold `entities[].name`), plus citation-function accuracy:
each gold citation whose target was found counts as right when one of the found citations of that
target has the function the gold `verb` maps to through the vocabulary's own labels.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path


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
    error: str | None = None


@dataclass
class Evaluation:
    documents: list[DocumentResult]
    citations: Score
    entities: Score
    functions_right: int
    functions_total: int

    @property
    def function_accuracy(self) -> float:
        return self.functions_right / self.functions_total if self.functions_total else 1.0


def default_corpus() -> Path:
    from importlib import resources

    return Path(str(resources.files("unkg.data").joinpath("corpus")))


def evaluate(corpus_dir: Path | None = None) -> Evaluation:
    """Run the loaders over every manifest entry that has a file, and score them."""
    from unkg.errors import UnkgError
    from unkg.loaders import load_file
    from unkg.loaders.citations import function_for_verb

    corpus_dir = Path(corpus_dir or default_corpus())
    manifest = json.loads((corpus_dir / "manifest.json").read_text(encoding="utf-8"))
    results: list[DocumentResult] = []
    total_cit, total_ent = Score(), Score()
    right = total = 0
    for entry in manifest["documents"]:
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
        found_entities = {m.label for d in docs for m in d.mentions}
        result.citations.add(found_targets, gold_targets)
        result.entities.add(found_entities, gold_entities)
        result.missing = sorted(gold_targets - found_targets)
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
        total_cit.tp += result.citations.tp
        total_cit.fp += result.citations.fp
        total_cit.fn += result.citations.fn
        total_ent.tp += result.entities.tp
        total_ent.fp += result.entities.fp
        total_ent.fn += result.entities.fn
        right += result.functions_right
        total += result.functions_total
        results.append(result)
    return Evaluation(results, total_cit, total_ent, right, total)


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
    for r in ev.documents:
        if r.missing or r.extra or r.error:
            lines.append(
                f"  {r.file}: missing {r.missing} extra {r.extra}"
                + (f" error {r.error}" if r.error else "")
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    ev = evaluate(Path(args[0]) if args else None)
    print(format_table(ev))
    return 0


if __name__ == "__main__":
    sys.exit(main())
