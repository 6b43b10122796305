"""The link scorer's matching rules (LINKS.md): one to one, certain gold first, uncertain gold
neither required nor counted against, symmetric types either way round, the family score."""

from __future__ import annotations

from benchmarks.evaluate_links import LinkScores, Predicted, match, score_document, split


def _p(kind: str, s: str, o: str, paragraph: str = "OP1") -> Predicted:
    return Predicted(kind, s, o, paragraph, frozenset({s.lower()}), frozenset({o.lower()}))


def _g(kind: str, s: str, o: str, **extra) -> dict:
    return {"type": kind, "subject": s, "object": o, "location": "OP1", **extra}


def test_one_to_one_and_certain_first() -> None:
    preds = [_p("cooperation", "A", "B")]
    golds = [_g("cooperation", "A", "B", uncertain=True), _g("cooperation", "A", "B")]
    pairs, missed, extra, neutral = match(preds, golds)
    assert [g.get("uncertain") for g, _ in pairs] == [None] and not missed and not extra
    assert neutral == 0
    pairs, missed, extra, _ = match(preds * 2, golds[1:])  # a second prediction is extra
    assert len(pairs) == 1 and len(extra) == 1


def test_uncertain_gold_is_neither_required_nor_counted_against() -> None:
    pairs, missed, extra, neutral = match([_p("cooperation", "A", "C")],
                                          [_g("cooperation", "A", "C", uncertain=True),
                                           _g("cooperation", "X", "Y", uncertain=True)])
    assert (pairs, missed, extra, neutral) == ([], [], [], 1)


def test_symmetric_types_match_either_way_but_requests_do_not() -> None:
    assert match([_p("memorandumOfUnderstanding", "B", "A")],
                 [_g("memorandumOfUnderstanding", "A", "B")])[0]
    assert not match([_p("requestedCooperation", "B", "A")],
                     [_g("requestedCooperation", "A", "B")])[0]


def test_family_counts_the_cooperation_subtypes_together() -> None:
    scores = LinkScores()
    score_document([_p("consultation", "A", "B")], [_g("cooperation", "A", "B")], scores)
    assert (scores.strict["consultation"].fp, scores.strict["cooperation"].fn) == (1, 1)
    assert scores.family["cooperation"].tp == 1


def test_location_is_checked_only_when_asked() -> None:
    preds, golds = [_p("cooperation", "A", "B", "PP2")], [_g("cooperation", "A", "B")]
    assert match(preds, golds)[0] and not match(preds, golds, location=True)[0]


def test_split_is_stable_and_holds_out_a_third() -> None:
    files = [f"texts/doc_{i}.txt" for i in range(9)]
    parts = split(files)
    assert parts == split(list(reversed(files)))
    assert sum(v == "held-out" for v in parts.values()) == 3
