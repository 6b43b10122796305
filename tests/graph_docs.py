"""Hand-built `Document`s taken from the two seed texts, for the graph tests.

They do not depend on the loaders (built in parallel): each paragraph, citation and mention is
located in the real seed text by searching for its words, so offsets are the true ones. What they
contain was checked by reading the seeds and their gold annotations
(`benchmarks/gold/corpus-manifest.json`).
"""

from __future__ import annotations

from pathlib import Path

from unkg.model import Citation, Document, Link, Meeting, Mention, Paragraph, Signatory

RESOLUTION = "seeds/001_88a3ec35e753d387.txt"
LETTER = "seeds/000_d30999ef5195cbdd.txt"


class _Locator:
    def __init__(self, text: str) -> None:
        self.text = text

    def span(self, needle: str, after: int = 0) -> tuple[int, int]:
        start = self.text.index(needle, after)
        return start, start + len(needle)

    def line(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def paragraph(self, pid: str, kind: str, first_words: str, *, number: int | None = None,
                  opening: str | None = None, footnotes: list[str] | None = None,
                  after: int = 0) -> Paragraph:
        start = self.text.index(first_words, after)
        end = self.text.find("\n", start)
        end = len(self.text) if end < 0 else end
        return Paragraph(id=pid, kind=kind, text=self.text[start:end], start=start, end=end,
                         line=self.line(start), number=number, opening=opening,
                         footnotes=footnotes or [])


def resolution_69_12(corpus_dir: Path) -> Document:
    """A/RES/69/12 (French seed): header, 5 preambular, 2 operative paragraphs, 4 footnotes,
    14 citations of the gold annotation, 3 mentions, the observer-status link."""
    text = (corpus_dir / RESOLUTION).read_text(encoding="utf-8")
    loc = _Locator(text)
    fn_area = text.index("<sup>1</sup> A/69/228")
    paras = [
        loc.paragraph("HDR", "header", "[sans renvoi"),
        loc.paragraph("PP1", "preambular", "*Ayant examiné*", number=1, opening="Ayant examiné",
                      footnotes=["FN1"]),
        loc.paragraph("PP3", "preambular", "*Rappelant également*", number=3,
                      opening="Rappelant également"),
        loc.paragraph("PP4", "preambular", "*Rappelant en outre*", number=4,
                      opening="Rappelant en outre", footnotes=["FN2"]),
        loc.paragraph("PP5", "preambular", "*Rappelant* toutes", number=5, opening="Rappelant",
                      footnotes=["FN3", "FN4"]),
        loc.paragraph("FN1", "footnote", "<sup>1</sup> A/69/228", number=1),
        loc.paragraph("FN2", "footnote", "<sup>2</sup> Résolution 49/57", number=2),
        loc.paragraph("FN3", "footnote", "<sup>3</sup> S/PRST/2010/1", number=3),
        loc.paragraph("FN4", "footnote", "<sup>4</sup> S/PRST/2013/12", number=4),
        loc.paragraph("OP1", "operative", "1. *Accueille", number=1, opening="Accueille",
                      footnotes=["FN1"]),
        loc.paragraph("OP5", "operative", "5. *Engage*", number=5, opening="Engage"),
    ]

    def cit(target: str, function: str, paragraph: str, surface: str, *, after: int = 0,
            footnote: str | None = None, part: str | None = None, verb: str | None = None
            ) -> Citation:
        start, end = loc.span(surface, after)
        return Citation(target=target, function=function, paragraph=paragraph, text=surface,
                        start=start, end=end, footnote=footnote, part=part, verb=verb)

    citations = [
        cit("A/69/L.13", "adoptedFromDraft", "HDR", "A/69/L.13"),
        cit("A/69/228", "havingConsidered", "PP1", "A/69/228-S/2014/560", after=fn_area,
            footnote="FN1", verb="Ayant examiné"),
        cit("S/2014/560", "havingConsidered", "PP1", "A/69/228-S/2014/560", after=fn_area,
            footnote="FN1", verb="Ayant examiné"),
        cit("A/RES/59/50", "recalls", "PP3", "résolution 59/50 du 2 décembre 2004",
            verb="Rappelant également"),
        cit("A/RES/64/256", "recalls", "PP4", "64/256 du 2 mars 2010", verb="Rappelant en outre"),
        cit("A/RES/65/122", "recalls", "PP4", "65/122 du 13 décembre 2010",
            verb="Rappelant en outre"),
        cit("A/RES/67/6", "recalls", "PP4", "67/6 du 19 novembre 2012", verb="Rappelant en outre"),
        cit("A/RES/49/57", "recalls", "PP4", "Résolution 49/57, annexe", footnote="FN2",
            part="annex", verb="Rappelant en outre"),
        cit("S/RES/1631(2005)", "recalls", "PP5", "résolution 1631 (2005) du 17 octobre 2005",
            verb="Rappelant"),
        cit("S/PRST/2010/1", "recalls", "PP5", "S/PRST/2010/1", after=fn_area, footnote="FN3",
            verb="Rappelant"),
        cit("S/PRST/2013/12", "recalls", "PP5", "S/PRST/2013/12", after=fn_area,
            footnote="FN4", verb="Rappelant"),
        cit("A/69/228", "welcomes", "OP1", "A/69/228-S/2014/560", after=fn_area,
            footnote="FN1", verb="Accueille avec satisfaction"),
        cit("S/2014/560", "welcomes", "OP1", "A/69/228-S/2014/560", after=fn_area,
            footnote="FN1", verb="Accueille avec satisfaction"),
        cit("A/RES/60/288", "callsUpon", "OP5", "Stratégie antiterroriste mondiale",
            after=text.index("5. *Engage*"), verb="Engage"),
    ]
    csto = "Organisation du Traité de sécurité collective"

    def mention(entity: str, label: str, kind: str, surface: str, paragraph: str, after: int
                ) -> Mention:
        start, end = loc.span(surface, after)
        return Mention(entity=entity, label=label, kind=kind, text=surface, paragraph=paragraph,
                       start=start, end=end)

    pp3 = text.index("*Rappelant également*")
    mentions = [
        mention("org/csto", "Collective Security Treaty Organization", "organization", csto,
                "PP3", pp3),
        mention("org/secretary-general", "Secretary-General of the United Nations", "official",
                "Secrétaire général", "PP1", text.index("*Ayant examiné*")),
        mention("org/security-council", "Security Council", "body", "Conseil de sécurité",
                "PP5", text.index("*Rappelant* toutes")),
    ]
    start, end = loc.span("octroyé le statut d'observateur à l'" + csto, pp3)
    links = [Link(type="observerStatus", subject="org/csto", object="org/general-assembly",
                  subject_label="Collective Security Treaty Organization",
                  object_label="General Assembly", paragraph="PP3",
                  text=text[start:end], start=start, end=end, document="A/RES/59/50")]
    return Document(
        source="001_88a3ec35e753d387.txt", loader="text", language="fr",
        symbols=["A/RES/69/12"], type="resolution", organ="org/general-assembly",
        title="Coopération entre l'Organisation des Nations Unies et " + "l'" + csto,
        date="2014-11-11", distribution_date="2014-11-26", distribution="general",
        session="69", agenda_items=["123g"], meeting=Meeting(48, "plenary", "2014-11-11",
                                                              "48e séance plénière"),
        draft="A/69/L.13", basis_text="[sans renvoi à une grande commission (A/69/L.13)]",
        paragraphs=paras, citations=citations, mentions=mentions, links=links,
        checksum=None, text=text,
    )


def letter_2009(corpus_dir: Path) -> Document:
    """The 2009 letter (French seed, no symbol in its text): a signatory, a body paragraph."""
    text = (corpus_dir / LETTER).read_text(encoding="utf-8")
    loc = _Locator(text)
    p1 = loc.paragraph("P1", "body", "Conformément aux dispositions", number=1)
    sig = loc.paragraph("SIG", "signature", "(Signé) Vitaly Churkin")
    start, end = loc.span("République du Bélarus", p1.start)
    return Document(
        source="000_d30999ef5195cbdd.txt", loader="text", language="fr", symbols=[],
        type="letter", organ="org/general-assembly", date="2009-07-14",
        distribution_date="2009-08-11", distribution="general", original_language="ru",
        session="64", content_id="sha256-d30999ef5195cbdd",
        title="Lettre datée du 14 juillet 2009, adressée au Secrétaire général par le "
              "Représentant permanent de la Fédération de Russie auprès de l'Organisation des "
              "Nations Unies",
        paragraphs=[p1, sig],
        mentions=[Mention(entity="state/BLR", label="Belarus", kind="state",
                          text="République du Bélarus", paragraph="P1", start=start, end=end)],
        signatories=[Signatory(name="Vitaly Churkin", entity="person/vitaly-churkin",
                               post="Représentant permanent", on_behalf_of=["state/RUS"])],
        text=text,
    )
