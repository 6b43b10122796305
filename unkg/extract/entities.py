"""Entity mentions: organisations, UN bodies, officials, States and persons named in a text,
linked to the authority lists of `unkg/ontology/authority/*.ttl`.

Matching is a gazetteer over word tokens, built once from the authority graph and cached:
- text and labels are folded the same way (lower case, accents and apostrophe shapes removed), so
  "l'Organisation du Traité", "l’organisation du traite" and a label all give the same tokens, and
  French elision ("de l'OTSC") needs nothing special: "l" is a token of its own;
- at every token the longest label wins ("Conseil de sécurité collective" over "Conseil de
  sécurité"; "Secrétaire général de l'OTSC" over "Secrétaire général");
- acronyms match only as whole words written in capitals ("ONU", never the article "un");
  one-word names need a capital first letter ("Cuba", "Secrétariat");
- a label whose accented letters were lost by a damaged web page ("Secrtaire gnral") still matches;
- a word split by PDF extraction ("Internati onal") is joined when that completes a label;
- `unkg:titleInParent` composes names: "Secretary-General" + "of the" + any name of the CSTO;
- organisation-scoped names: a title of `vocab/org-titles.ttl` named with an organisation
  ("Secretary-General of the Commonwealth of Independent States", "the Gulf Cooperation Council
  secretariat", "President of the Council") is that organisation's post or organ: the listed one
  (its `unkg:titleInParent`), else a new one (key `post/<org>-<title>` or `org/<org>-<title>`),
  never the United Nations' by default; it wins over a shorter name at the same place;
- a plural title with a list ("the secretariats of the United Nations and the CSTO", "… of the
  UNFCCC, the UNCCD and the CBD") is the title in each organisation of the list;
- an unlisted organ named with "of the" and its organisation ("the Development Assistance
  Committee of the OECD"), or a list of them ending with it ("the Cultural Institute, the Science
  Foundation and the Educational Institute of the ECO"), is that organisation's organ;
- a title of two words or more alone ("the Technical Secretariat", "the Director General") is
  that title in the organisation named last (never after a UN body, whose organs are listed);
- a footnote number glued to a name ("Eurasian Economic Union7") is a word of its own;
- `unkg:labelAfterParent` is a short name valid only just after the parent was named
  ("le Comité contre le terrorisme et sa Direction exécutive");
- "the Council", "l'Assemblée", "the Court" refer to the last council/assembly/court named.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import accumulate, chain, compress, pairwise

import pyoxigraph

from unkg.model import Document, Mention, Paragraph, person_key, slug
from unkg.ontology import DEFAULT_BASE, ORG, RDF_TYPE, SKOS, UNKG, data_file, data_files

# Any base will do: keys are the IRIs relative to it.
_BASE = DEFAULT_BASE
_SKOS = SKOS
_ORG = ORG
_RDF_TYPE = RDF_TYPE
_PREF_LABEL, _ALT_LABEL = _SKOS + "prefLabel", _SKOS + "altLabel"
_HIDDEN_LABEL = _SKOS + "hiddenLabel"
_ACRONYM, _LABEL_AFTER_PARENT = UNKG + "acronym", UNKG + "labelAfterParent"
_TITLE_IN_PARENT = UNKG + "titleInParent"
_LOOKALIKE_NAME = UNKG + "lookalikeName"
_BROADER = _SKOS + "broader"
_ORG_TITLES = "vocab/org-titles.ttl"
_ORG_TITLE_POST = DEFAULT_BASE + "vocab/org-title/post"
# The organisation whose posts and organs the authority lists in full: a title named with it that
# the authority does not list ("Council of the United Nations") is no new entity.
_UN = "org/united-nations"

_KINDS = {  # most specific class first
    UNKG + "Post": "official",
    UNKG + "UNBody": "body",
    UNKG + "State": "state",
    UNKG + "RegionalOrganization": "organization",
    UNKG + "Organization": "organization",
}
# Connectors between a title and its parent's name, in English and French ("de l'", "du" …).
# Letters and digits are separate words: a footnote number glued to a name ("Union7") is no part
# of it.
_WORD = re.compile(r"[^\W\d_]+|\d+")
_WORD_SPLIT = re.compile(r"([^\W\d_]+|\d+)")  # split keeps the words: gap, word, gap, …, gap
_CONNECTORS = ["of the", "of", "de l'", "de la", "du", "des", "de", "d'"]
# Head nouns of anaphoric references ("the Council") → the English word the antecedent's name holds.
_ANAPHORS = {"council": "Council", "conseil": "Council", "assembly": "Assembly",
             "assemblee": "Assembly", "court": "Court", "cour": "Court",
             "committee": "Committee", "comite": "Committee",
             # short names a text gives the organisation it is about ("the Commonwealth" in a
             # resolution on the Commonwealth of Independent States)
             "commonwealth": "Commonwealth", "community": "Community", "communaute": "Community",
             "union": "Union"}
_DETERMINERS = {"the", "le", "la", "l", "this", "ce", "cette"}
_POSSESSIVES = {"its", "their", "sa", "son", "ses", "leur"}
_CONNECTOR_TOKENS = [_WORD.findall(c) for c in _CONNECTORS]
# a name runs on after these too ("the Committee on Fisheries", "the Court of Bosnia …")
_RUN_ON_TOKENS = [*_CONNECTOR_TOKENS, ["on", "the"], ["on"], ["for", "the"], ["for"]]
_AFTER_PARENT_WINDOW = 160  # characters between the parent's mention and the short name


class _Fold(dict):
    """str.translate table: lower case without accents, one character for one (offsets survive)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = _strip_accents(char)
        folded = base[:1].lower() if base else char
        if len(folded) != 1:
            folded = char
        self[code] = folded
        return folded


_FOLD = _Fold()


def fold(text: str) -> str:
    """Lower-case `text` and drop accents, keeping its length (so offsets stay valid)."""
    if text.isascii():
        return text.lower()  # the same for ASCII, and much faster than a translate table
    return text.translate(_FOLD)


def _tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class Entity:
    key: str  # authority key: org/csto, state/KGZ, post/un-secretary-general
    label: str  # English name
    kind: str
    parent: str | None = None


@dataclass(frozen=True)
class _Entry:
    key: str
    exact: tuple[str | None, ...] = ()  # per token: the surface required (accent-free, case kept)
    capital: bool = False  # first letter of the surface must be a capital
    after_parent: bool = False
    anaphor: str | None = None  # head word the antecedent's English name must contain
    of_anaphor: bool = False  # "Prosecutor of the Court": a post of the body "the Court" refers to
    # a longer name holding one of the entity's labels that names something else: it is read as
    # one name (longest match) and mentions nothing
    excluded: bool = False


@dataclass(frozen=True)
class _Title:
    """A title of `vocab/org-titles.ttl` as one label reads it."""

    concept: str  # local name: secretary-general, secretariat
    post: bool  # a post (else an organ)
    capital: bool  # the label starts with a capital: the surface must too
    preferred: bool  # the label is the concept's prefLabel in its language
    english: str  # the concept's English prefLabel


@dataclass
class Gazetteer:
    entities: dict[str, Entity] = field(default_factory=dict)
    trie: dict = field(default_factory=dict)
    # key → every English name: prefLabel, altLabels, acronyms, titles composed with the parent's.
    english: dict[str, frozenset[str]] = field(default_factory=dict)
    # titles of posts and organs (vocab/org-titles.ttl): a trie of folded tokens like `trie`
    titles: dict = field(default_factory=dict)
    # (parent key, title concept) → the listed post or organ with that title in that parent
    children: dict[tuple[str, str], str] = field(default_factory=dict)
    # title concept → its English labels (names of the posts and organs made from it)
    title_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # head nouns of organisation names ("Federation", "Institute"): vocab/org-titles.ttl
    name_heads: frozenset[str] = frozenset()
    not_names: frozenset[tuple[str, ...]] = frozenset()  # ("Information", "Society")
    _root_prefixes: frozenset[str] | None = field(default=None, repr=False, compare=False)
    _root_splits: frozenset[tuple[str, str]] | None = field(default=None, repr=False,
                                                           compare=False)
    _second_words: dict[str, frozenset[str]] | None = field(default=None, repr=False,
                                                           compare=False)

    def root_prefixes(self) -> frozenset[str]:
        """Proper prefixes of the trie's first tokens: a word split by PDF extraction
        ("Internati onal") may start a label only with one of them."""
        if self._root_prefixes is None:
            self._root_prefixes = frozenset(
                t[:k] for t in self.trie if t for k in range(1, len(t)))
        return self._root_prefixes

    def root_splits(self) -> frozenset[tuple[str, str]]:
        """(head, tail) for every way of cutting a first token of the trie in two non-empty pieces:
        the word pairs a split first token ("Internati onal") shows."""
        if self._root_splits is None:
            self._root_splits = frozenset(
                (t[:k], t[k:]) for t in self.trie if t for k in range(1, len(t)))
        return self._root_splits

    def second_words(self) -> dict[str, frozenset[str]]:
        """first token → the words that may follow it in a label: the second tokens and their
        proper prefixes (the first piece of a split second token)."""
        if self._second_words is None:
            self._second_words = {
                first: frozenset(t[:k] for t in node if t for k in range(1, len(t) + 1))
                for first, node in self.trie.items() if first}
        return self._second_words

    def add(self, label: str, entry: _Entry) -> None:
        tokens = _tokens(label)
        if not tokens:
            return
        self._root_prefixes = self._root_splits = self._second_words = None  # recompute
        node = self.trie
        for token in tokens:
            node = node.setdefault(token, {})
        entries = node.setdefault("", [])
        if entry not in entries:
            entries.append(entry)


def _strip_accents(label: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", label) if not unicodedata.combining(c))


def _damaged(label: str) -> str:
    """The label as a web page that lost its accented letters shows it ("Secrtaire gnral").
    Only Latin labels lose a few letters that way: a label in another script ("ОДКБ") would lose
    every letter, so it stays as it is."""
    if any(c.isalpha() and not _strip_accents(c).isascii() for c in label):
        return label
    return "".join(c for c in label if ord(c) < 128)


def _add_label(gaz: Gazetteer, key: str, label: str, *, acronym: bool = False,
               after_parent: bool = False, excluded: bool = False) -> None:
    surface = _WORD.findall(_strip_accents(label))
    if acronym:
        entry = _Entry(key, exact=tuple(surface), after_parent=after_parent)
    else:
        entry = _Entry(key, capital=len(surface) == 1, after_parent=after_parent,
                       excluded=excluded)
    gaz.add(label, entry)
    damaged = _damaged(label)
    if damaged != label and not acronym and _tokens(damaged) != _tokens(label):
        gaz.add(damaged, entry)


@dataclass(frozen=True)
class _Label:
    """A literal of the authority lists: its text and language tag."""

    value: str
    language: str | None

    def __str__(self) -> str:
        return self.value


class _Triples:
    """The authority triples indexed the two ways the gazetteer reads them: IRIs are strings,
    literals `_Label`s; objects keep the files' order. (Parsed with pyoxigraph: an rdflib graph
    took most of the gazetteer's build time.)"""

    def __init__(self) -> None:
        self._by_subject: dict[object, dict[str, list[object]]] = {}
        self._by_predicate: dict[str, list[tuple[object, object]]] = {}

    def add(self, subject: object, predicate: str, obj: object) -> None:
        objects = self._by_subject.setdefault(subject, {}).setdefault(predicate, [])
        if obj not in objects:  # a graph is a set of triples
            objects.append(obj)
            self._by_predicate.setdefault(predicate, []).append((subject, obj))

    def subjects(self, predicate: str) -> list[object]:
        return list(dict.fromkeys(s for s, _o in self._by_predicate.get(predicate, [])))

    def objects(self, subject: object, predicate: str) -> list[object]:
        return self._by_subject.get(subject, {}).get(predicate, [])

    def value(self, subject: object, predicate: str) -> object | None:
        objects = self.objects(subject, predicate)
        return objects[0] if objects else None

    def subject_objects(self, predicate: str) -> list[tuple[object, object]]:
        return self._by_predicate.get(predicate, [])


def _term(term: object) -> object:
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    if isinstance(term, pyoxigraph.Literal):
        return _Label(term.value, term.language)
    return term  # a blank node: neither an IRI nor a label


def _authority_graph() -> _Triples:
    graph = _Triples()
    for resource in data_files("authority"):
        for triple in pyoxigraph.parse(resource.read_bytes(), pyoxigraph.RdfFormat.TURTLE,
                                       base_iri=_BASE):
            graph.add(_term(triple.subject), triple.predicate.value, _term(triple.object))
    return graph


def _key(node: object) -> str:
    return str(node)[len(_BASE):] if str(node).startswith(_BASE) else str(node)


@cache
def gazetteer() -> Gazetteer:
    """The matcher built from the authority lists (built once per process)."""
    graph = _authority_graph()
    gaz = Gazetteer()
    names: dict[str, list[tuple[str, bool]]] = {}  # key → (name, is acronym), for composition
    # Entities in IRI order: when two share a label, the first added wins a tie, the same one in
    # every process (set order changed with the hash seed).
    for node in sorted(n for n in graph.subjects(_PREF_LABEL) if isinstance(n, str)):
        key = _key(node)
        types = set(graph.objects(node, _RDF_TYPE))
        kind = next((k for cls, k in _KINDS.items() if cls in types), "organization")
        english = graph.value(node, _PREF_LABEL)
        label = next((str(o) for o in graph.objects(node, _PREF_LABEL) if _is_english(o)),
                     str(english))
        parent = graph.value(node, _ORG + "subOrganizationOf") or graph.value(node,
                                                                              _ORG + "postIn")
        gaz.entities[key] = Entity(key, label, kind, _key(parent) if parent else None)
        own = names.setdefault(key, [])
        for prop in (_PREF_LABEL, _ALT_LABEL):
            for name in graph.objects(node, prop):
                _add_label(gaz, key, str(name))
                own.append((str(name), False))
        for name in graph.objects(node, _ACRONYM):
            _add_label(gaz, key, str(name), acronym=True)
            own.append((str(name), True))
        for name in graph.objects(node, _LABEL_AFTER_PARENT):
            _add_label(gaz, key, str(name), after_parent=True)
        for name in graph.objects(node, _LOOKALIKE_NAME):
            _add_label(gaz, key, str(name), excluded=True)
    _parent_name_variants(gaz, graph)
    english = _english_names(graph)
    # Titles composed with every name of the parent: "Secrétaire général" + "de l'" + "OTSC".
    for title_node, title_label in graph.subject_objects(_TITLE_IN_PARENT):
        key = _key(title_node)
        parent = gaz.entities[key].parent
        if _is_english(title_label):
            english[key] |= {f"{title_label} {connector} {name}"
                             for name in english.get(parent or "", ())
                             for connector in ("of the", "of")}
        for parent_name, is_acronym in names.get(parent or "", []):
            for connector in _CONNECTORS:
                composed = f"{title_label} {connector} {parent_name}"
                if is_acronym:
                    head_words = _WORD.findall(_strip_accents(f"{title_label} {connector}"))
                    tail_words = _WORD.findall(_strip_accents(parent_name))
                    entry = _Entry(key, exact=tuple([None] * len(head_words) + tail_words))
                    gaz.add(composed, entry)
                else:
                    _add_label(gaz, key, composed)
    for word, head in _ANAPHORS.items():
        gaz.add(word, _Entry(f"anaphor/{head}", capital=True, anaphor=head))
    # "the Prosecutor of the Court", "le Président du Conseil": a title + the anaphor of its parent.
    for title_node, title_label in graph.subject_objects(_TITLE_IN_PARENT):
        key = _key(title_node)
        parent = gaz.entities.get(gaz.entities[key].parent or "")
        if parent is None or parent.kind == "official":
            continue
        for word, head in _ANAPHORS.items():
            if head in parent.label.split():
                for connector in ("of the", "de la", "du", "de l'"):
                    gaz.add(f"{title_label} {connector} {word}",
                            _Entry(key, capital=True, anaphor=head, of_anaphor=True))
    # "ICC liaison office …", "Secretary-General of the OIF": a name that contains its parent's
    # name is also written with the parent's acronym.
    for key, own_names in english.items():
        parent = gaz.entities[key].parent if key in gaz.entities else None
        if not parent:
            continue
        parent_node = _BASE + parent
        acronyms = [str(a) for a in graph.objects(parent_node, _ACRONYM) if _is_english(a)]
        full = [str(n) for prop in (_PREF_LABEL, _ALT_LABEL)
                for n in graph.objects(parent_node, prop) if _is_english(n)]
        own_names |= {name.replace(long, short) for name in list(own_names) for long in full
                      for short in acronyms if long in name}
    gaz.english = {key: frozenset(names) for key, names in english.items()}
    _read_titles(gaz, graph)
    return gaz


def _read_titles(gaz: Gazetteer, authority: _Triples) -> None:
    """The titles of `vocab/org-titles.ttl` into `gaz.titles`, and which listed entity holds each
    title in its parent (`unkg:titleInParent`) into `gaz.children`."""
    vocab = _Triples()
    for triple in pyoxigraph.parse(data_file(_ORG_TITLES).read_bytes(),
                                   pyoxigraph.RdfFormat.TURTLE):
        vocab.add(_term(triple.subject), triple.predicate.value, _term(triple.object))
    by_tokens: dict[tuple[str, ...], list[str]] = {}
    hidden = vocab.subject_objects(_HIDDEN_LABEL)
    gaz.name_heads = frozenset(str(label) for node, label in hidden
                               if str(node).endswith("/organisation-name"))
    gaz.not_names = frozenset(tuple(str(label).split()) for node, label in hidden
                              if str(node).endswith("/not-an-organisation-name"))
    for node, broader in vocab.subject_objects(_BROADER):
        concept = str(node).rsplit("/", 1)[-1]
        preferred = vocab.objects(node, _PREF_LABEL)
        english = [str(x) for x in preferred if _is_english(x)]
        gaz.title_names[concept] = tuple(dict.fromkeys(
            [*english, *(str(x) for x in vocab.objects(node, _ALT_LABEL)
                         if _is_english(x) and str(x)[:1].isupper())]))
        for prop in (_PREF_LABEL, _ALT_LABEL):
            for label in vocab.objects(node, prop):
                tokens = tuple(_tokens(str(label)))
                title = _Title(concept, broader == _ORG_TITLE_POST, str(label)[:1].isupper(),
                               prop == _PREF_LABEL, english[0])
                node_ = gaz.titles
                for token in tokens:
                    node_ = node_.setdefault(token, {})
                entries = node_.setdefault("", [])
                if title not in entries:
                    entries.append(title)
                    entries.sort(key=lambda t: not t.preferred)  # a prefLabel's concept first
                by_tokens.setdefault(tokens, []).append(concept)
    for node, title_label in authority.subject_objects(_TITLE_IN_PARENT):
        entity = gaz.entities[_key(node)]
        for concept in by_tokens.get(tuple(_tokens(str(title_label))), []):
            if entity.parent:
                gaz.children.setdefault((entity.parent, concept), entity.key)


def _scoped_entity(gaz: Gazetteer, parent: Entity, titles: list[_Title]) -> Entity | None:
    """The post or organ that `titles` name in `parent`: the listed one, else a new entity."""
    if parent.kind not in ("organization", "body"):
        return None
    for title in titles:
        listed = gaz.children.get((parent.key, title.concept))
        if listed is not None:
            return gaz.entities[listed]
    if parent.key == _UN:
        return None
    title = titles[0]
    local = parent.key.split("/", 1)[-1]
    key = f"post/{local}-{title.concept}" if title.post else f"org/{local}-{title.concept}"
    entity = gaz.entities.get(key)
    if entity is None:
        kind = "official" if title.post else parent.kind
        entity = gaz.entities[key] = Entity(key, f"{title.english} of the {parent.label}", kind,
                                            parent.key)
        parent_names = gaz.english.get(parent.key, frozenset()) | {parent.label}
        gaz.english[key] = frozenset(
            {f"{name} {connector} {p}" for name in gaz.title_names[title.concept]
             for connector in ("of the", "of") for p in parent_names}
            | {f"{p} {name}" for name in gaz.title_names[title.concept] for p in parent_names})
    return entity


def _parent_name_variants(gaz: Gazetteer, graph: _Triples) -> None:
    """A name holding its parent's acronym ("ASEAN Intergovernmental Commission on Human Rights")
    is also written with the parent's full names in the same language ("Association of Southeast
    Asian Nations Intergovernmental Commission …")."""
    for key, entity in list(gaz.entities.items()):
        if not entity.parent or entity.kind == "official":
            continue
        parent = _BASE + entity.parent
        full = [n for prop in (_PREF_LABEL, _ALT_LABEL) for n in graph.objects(parent, prop)
                if isinstance(n, _Label)]
        acronyms = [str(a) for a in graph.objects(parent, _ACRONYM)]
        for prop in (_PREF_LABEL, _ALT_LABEL):
            for name in graph.objects(_BASE + key, prop):
                if not isinstance(name, _Label):
                    continue
                for acronym in acronyms:
                    if not re.search(rf"(?<!\w){re.escape(acronym)}(?!\w)", name.value):
                        continue
                    for long in full:
                        if long.language == name.language:
                            _add_label(gaz, key, re.sub(
                                rf"(?<!\w){re.escape(acronym)}(?!\w)", long.value, name.value))


def _is_english(label: object) -> bool:
    return isinstance(label, _Label) and label.language == "en"


def _english_names(graph: _Triples) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for prop in (_PREF_LABEL, _ALT_LABEL, _ACRONYM):
        for node, label in graph.subject_objects(prop):
            if isinstance(node, str) and _is_english(label):
                names.setdefault(_key(node), set()).add(str(label))
    return names


def english_names(key: str) -> frozenset[str]:
    """Every English name the authority gives entity `key` (prefLabel, altLabels, acronyms, and a
    post's title composed with its organisation's names); empty for a key it does not hold."""
    return gazetteer().english.get(key, frozenset())


def _accepts(entry: _Entry, surfaces: list[str]) -> bool:
    if entry.capital and not surfaces[0][:1].isupper():
        return False
    if entry.of_anaphor and not surfaces[-1][:1].isupper():
        return False
    if entry.exact:
        if len(entry.exact) != len(surfaces):
            return False
        for want, got in zip(entry.exact, surfaces, strict=True):
            if want is not None and _strip_accents(got) != want:
                return False
    return True


def _match_paragraph(gaz: Gazetteer, paragraph: Paragraph, history: list[Mention]) -> list[Mention]:
    """Longest-match scan of one paragraph; `history` holds the document's mentions so far."""
    text = paragraph.text
    folded = fold(text)
    words, spans = _words_and_spans(folded)
    # A name never runs across a line break: header lines ("United Nations" / "General
    # Assembly") are separate fields, while body paragraphs arrive with their lines joined.
    breaks = _LineBreaks(text, spans) if "\n" in text else _NO_BREAKS
    found: list[Mention] = []
    next_free = 0  # the first word after the last name found
    root, splits, second_words = gaz.trie, gaz.root_splits(), gaz.second_words()
    last = len(words) - 1
    scan = _Scan(gaz, paragraph, words, spans, breaks, history, found)
    titles = gaz.titles
    for i in _starts(gaz, words, spans, text):
        if i < next_free:
            continue
        # Most starts ("the", "international") are a first token that is no label by itself and
        # is not followed by a word of a label starting with it: the walk below would find nothing.
        first = root.get(words[i])
        if (first is not None and "" not in first and words[i] not in titles
                and (i == last or (words[i + 1] not in second_words[words[i]]
                                   and (words[i], words[i + 1]) not in splits))):
            continue
        if words[i] not in root and words[i] not in titles and _plural_title(gaz, words[i]):
            shared = scan.distributed(i)  # "the secretariats of the United Nations and the X"
            if shared:
                for start, end, each in shared:
                    found.append(Mention(
                        entity=each.key, label=each.label, kind=each.kind,
                        text=text[spans[start][0]:spans[end - 1][1]], paragraph=paragraph.id,
                        start=paragraph.start + spans[start][0],
                        end=paragraph.start + spans[end - 1][1]))
                next_free = shared[-1][1]
                continue
        best = scan.longest(i)
        scoped = scan.scoped(i) if words[i] in titles else None
        # a composed name wins a tie: its organisation is read whole ("the Commonwealth" the text
        # named before), where a listed composition ("… of the Commonwealth") took the first words
        if scoped is None and words[i] in titles and (bare := scan.bare(i)) is not None and (
                best is None or bare[0] > best[0]):
            scoped = bare  # "the Technical Secretariat" after the OPCW was named
        entity: Entity | None
        if scoped is not None and (best is None or scoped[0] >= best[0]):
            end, entity = scoped
        elif best is not None:
            end, entry, _ = best
            entity = _resolve(entry, gaz, history, found)
            if entity is not None:
                end, entity = scan.postposed(end, entity)
        else:
            continue
        if entity is not None:
            end = _absorb_parent(gaz, entity, words, spans, text, end)
        start_char, end_char = spans[i][0], spans[end - 1][1]
        if entity is not None:
            found.append(Mention(entity=entity.key, label=entity.label, kind=entity.kind,
                                 text=text[start_char:end_char], paragraph=paragraph.id,
                                 start=paragraph.start + start_char,
                                 end=paragraph.start + end_char))
        next_free = end
    return found


class _Scan:
    """The matchers of one paragraph: the longest label at a word, and the names of posts and
    organs composed with their organisation's name."""

    def __init__(self, gaz: Gazetteer, paragraph: Paragraph, words: list[str],
                 spans: list[tuple[int, int]], breaks: _LineBreaks | _NoBreaks,
                 history: list[Mention], found: list[Mention]) -> None:
        self.gaz, self.paragraph, self.words, self.spans = gaz, paragraph, words, spans
        self.breaks, self.history, self.found = breaks, history, found
        self.text = paragraph.text

    def longest(self, i: int) -> tuple[int, _Entry, list[str]] | None:
        """The longest label accepted at word i: (end, entry, surfaces)."""
        words, spans, text, breaks = self.words, self.spans, self.text, self.breaks
        best: tuple[int, _Entry, list[str]] | None = None
        # Walk the trie; a label token may be written as two pieces ("Internati onal").
        frontier: list[tuple[dict, int, list[str]]] = [(self.gaz.trie, i, [])]
        while frontier:
            node, j, surfaces = frontier.pop()
            if j >= len(words) or (j > i and breaks[j]):
                continue
            steps = []
            if words[j] in node:
                steps.append((node[words[j]], j + 1, [*surfaces, text[spans[j][0]:spans[j][1]]]))
            glued = j + 1 < len(words) and spans[j + 1][0] - spans[j][1] == 1
            if glued and text[spans[j][1]] == " ":
                joined = words[j] + words[j + 1]
                if joined in node:
                    steps.append((node[joined], j + 2,
                                  [*surfaces, text[spans[j][0]:spans[j + 1][1]]]))
            for child, end, surf in steps:
                for entry in child.get("", []):
                    # a resolvable anaphor beats a name of the same length: "the Commonwealth"
                    # after the Commonwealth of Independent States is that one
                    if best is not None and (end < best[0] or (end == best[0]
                                                               and not entry.anaphor)):
                        continue
                    if (_accepts(entry, surf) and _context_ok(
                            entry, self.gaz, self.paragraph, spans, i, words, self.history,
                            self.found)
                            # "the Court of Bosnia and Herzegovina" is no anaphor
                            and not (entry.anaphor and not entry.of_anaphor
                                     and self._name_goes_on(end))):
                        best = (end, entry, surf)
                frontier.append((child, end, surf))
        return best

    def _titles_at(self, i: int) -> list[tuple[int, list[_Title]]]:
        """Titles written from word i, longest first: (end, titles the surface's case allows)."""
        words, found = self.words, []
        node: dict | None = self.gaz.titles  # the titles trie: word → subtrie, "" → titles
        capital = self.text[self.spans[i][0]:self.spans[i][0] + 1].isupper() if i < len(
            words) else False
        j = i
        while j < len(words) and (j == i or not self.breaks[j]):
            node = node.get(words[j]) if node is not None else None
            if node is None:
                break
            j += 1
            allowed = [t for t in node.get("", []) if capital or not t.capital]
            if allowed:
                found.append((j, allowed))
        return found[::-1]

    def _joined(self, a: int, b: int) -> bool:
        """Words a … b-1 are separated by spaces or an elided article's apostrophe only."""
        return all(not self.breaks[k] and not self.text[
            self.spans[k - 1][1]:self.spans[k][0]].strip().strip("'’") for k in range(a + 1, b))

    def _organisation_at(self, k: int) -> tuple[int, Entity] | None:
        """The organisation or body named from word k (longest name, postposed title included)."""
        best = self.longest(k)
        if best is None:
            return None
        entity = _resolve(best[1], self.gaz, self.history, self.found)
        if entity is None or entity.kind not in ("organization", "body"):
            return None
        return self.postposed(best[0], entity)

    def scoped(self, i: int) -> tuple[int, Entity] | None:
        """"Secretary-General of the Commonwealth of Independent States", "Council of the League
        of Arab States": a title, a connector and an organisation's name, as (end, entity)."""
        words = self.words
        for end, titles in self._titles_at(i):
            for connector in _CONNECTOR_TOKENS:
                k = end + len(connector)
                if k >= len(words) or words[end:k] != connector or not self._joined(end - 1,
                                                                                    k + 1):
                    continue
                parent = self._organisation_at(k)
                if parent is None:
                    continue
                entity = _scoped_entity(self.gaz, parent[1], titles)
                if entity is not None:
                    return parent[0], entity
        return None

    def bare(self, i: int) -> tuple[int, Entity] | None:
        """"the Executive Council", "the Technical Secretariat", "the Director General": a title of
        two words or more, alone, is that title in the organisation named last (a State or the
        United Nations skipped; none after a United Nations body, whose organs the authority
        lists)."""
        words, spans, text = self.words, self.spans, self.text
        if i == 0 or words[i - 1] not in _DETERMINERS or not text[spans[i][0]].isupper():
            return None
        for end, titles in self._titles_at(i):
            if end - i < 2 or self._name_goes_on(end) or self._to_a_name(end):
                continue  # "the Conference of the States Parties to the … Convention"
            for mention in chain(reversed(self.found), reversed(self.history)):
                entity = self.gaz.entities.get(mention.entity)
                if entity is not None and entity.kind == "official":
                    entity = self.gaz.entities.get(entity.parent or "")
                if entity is None or entity.kind not in ("organization", "body") or entity.key in (
                        _UN, "org/un-system"):
                    continue
                if entity.kind != "organization":
                    return None
                while entity.parent not in (None, _UN) and (
                        parent := self.gaz.entities.get(entity.parent or "")) is not None:
                    entity = parent  # "the Director General" after its Technical Secretariat
                scoped = _scoped_entity(self.gaz, entity, titles)
                return (end, scoped) if scoped is not None else None
            return None
        return None

    def _to_a_name(self, k: int) -> bool:
        """"to" and a capitalised word (after "the") follow word k-1."""
        words, spans, text = self.words, self.spans, self.text
        j = k + 1 + (k + 1 < len(words) and words[k + 1] == "the")
        return (k < len(words) and words[k] == "to" and j < len(words)
                and text[spans[j][0]].isupper())

    def distributed(self, i: int) -> list[tuple[int, int, Entity]]:
        """"the secretariats of the United Nations, the X and the Y": a plural title, a connector
        and a list of names is the title in each (the listed "secretariat of the Y" where the
        authority has it, else Y's post or organ): (start, end, entity) per name, the first
        starting at the title; none unless at least two names are read."""
        words, spans, text = self.words, self.spans, self.text
        capital = text[spans[i][0]].isupper()
        titles = [t for t in _plural_title(self.gaz, words[i]) if capital or not t.capital]
        if not titles:
            return []
        for connector in _CONNECTOR_TOKENS:
            k = i + 1 + len(connector)
            if k >= len(words) or words[i + 1:k] != connector or not self._joined(i, k + 1):
                continue
            singular = [words[i][:-1], *connector]
            out: list[tuple[int, int, Entity]] = []
            pos = k
            while pos < len(words):
                item = self._item_at(pos, singular, titles)
                if item is None:
                    break
                end = item[0]
                out.append((i if not out else pos, end, item[1]))
                if end >= len(words):
                    break
                gap = text[spans[end - 1][1]:spans[end][0]].strip()
                if gap not in ("", ",") or (not gap and words[end] not in ("and", "et")):
                    break
                pos = end + (words[end] in ("and", "et"))
                while pos < len(words) and words[pos] in ("the", "la", "le", "l", "des", "du",
                                                          "de"):
                    pos += 1
            if len(out) >= 2:
                return out
        return []

    def _item_at(self, k: int, singular: list[str],
                 titles: list[_Title]) -> tuple[int, Entity] | None:
        """The title in the organisation named at word k: a listed name that reads "<title>
        <connector> <the words at k>" (longest), else the organisation's post or organ."""
        words = self.words
        node: dict | None = self.gaz.trie
        for token in singular:
            node = node.get(token) if node is not None else None
        best: tuple[int, Entity] | None = None
        j = k
        while node is not None and j < len(words) and (j == k or not self.breaks[j]):
            node = node.get(words[j])
            j += 1
            if node is None:
                break
            for entry in node.get("", []):
                if not entry.anaphor and not entry.excluded and not entry.exact:
                    best = (j, self.gaz.entities[entry.key])
                    break
        organisation = self._organisation_at(k)
        if organisation is not None and (best is None or organisation[0] > best[0]):
            scoped = _scoped_entity(self.gaz, organisation[1], titles)
            if scoped is not None:
                return organisation[0], scoped
        return best

    def postposed(self, end: int, entity: Entity) -> tuple[int, Entity]:
        """"the Gulf Cooperation Council secretariat", "the ECOWAS Commission": an organisation's
        name followed by a title is that organisation's post or organ."""
        if entity.kind not in ("organization", "body") or end >= len(self.words):
            return end, entity
        if not self._joined(end - 1, end + 1):
            return end, entity
        for title_end, titles in self._titles_at(end):
            if self._name_goes_on(title_end):
                continue  # "ECO Council of Heads of Customs Administration": a longer name
            scoped = _scoped_entity(self.gaz, entity, titles)
            if scoped is not None:
                return title_end, scoped
        return end, entity


    def _name_goes_on(self, k: int) -> bool:
        """A connector and a capitalised word follow word k-1: the name runs on."""
        words = self.words
        for connector in _RUN_ON_TOKENS:
            j = k + len(connector)
            if (j < len(words) and words[k:j] == connector and self._joined(k - 1, j + 1)
                    and self.text[self.spans[j][0]:self.spans[j][0] + 1].isupper()):
                return True
        return False


def _plural_title(gaz: Gazetteer, word: str) -> list[_Title]:
    """The one-word titles whose plural (an "s" added) `word` is: "secretariats", "councils"."""
    if not word.endswith("s"):
        return []
    node = gaz.titles.get(word[:-1])
    return list(node.get("", [])) if node else []


def _words_and_spans(folded: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The word tokens of a folded text and their (start, end) offsets, computed from the lengths
    of the words and of the gaps between them (one regex pass, no Python loop over the words)."""
    pieces = _WORD_SPLIT.split(folded)  # gap, word, gap, …, word, gap
    bounds = list(accumulate(map(len, pieces[:-1])))
    return pieces[1::2], list(zip(bounds[0::2], bounds[1::2], strict=True))


def _starts(gaz: Gazetteer, words: list[str], spans: list[tuple[int, int]],
            text: str) -> list[int]:
    """Indexes of the words a label may start at: a first token of the trie, or the first piece of
    one split by a single space ("Internati onal"). Every other word starts nothing."""
    root, splits = gaz.trie, gaz.root_splits()
    out: list[int] = []
    # (word, next word) pairs that are the two pieces of a first token, then the layout test
    for i in compress(range(len(words) - 1), map(splits.__contains__, pairwise(words))):
        if words[i] in root:
            continue  # kept below
        if spans[i + 1][0] - spans[i][1] == 1 and text[spans[i][1]] == " ":
            out.append(i)
    titles = gaz.titles
    heads = list(compress(range(len(words)),
                          (w in root or w in titles or _plural_title(gaz, w) for w in words)))
    return sorted(out + heads) if out else heads


class _LineBreaks:
    """breaks[k]: a line break lies between word k-1 and word k (computed on demand)."""

    __slots__ = ("spans", "text")

    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        self.text, self.spans = text, spans

    def __getitem__(self, k: int) -> bool:
        return k > 0 and "\n" in self.text[self.spans[k - 1][1]:self.spans[k][0]]


class _NoBreaks:
    def __getitem__(self, k: int) -> bool:
        return False


_NO_BREAKS = _NoBreaks()


def _absorb_parent(gaz: Gazetteer, entity: Entity, words: list[str],
                   spans: list[tuple[int, int]], text: str, end: int) -> int:
    """"Office of Legal Affairs of the Secretariat" is one name: a one-word name of an ancestor
    right after the connector qualifies the unit; it is not a mention of its own."""
    for connector in _CONNECTOR_TOKENS:
        j = end + len(connector)
        if j < len(words) and words[end:j] == connector and words[j] in gaz.trie:
            for entry in gaz.trie[words[j]].get("", []):
                if (not entry.anaphor and not entry.after_parent
                        and _accepts(entry, [text[spans[j][0]:spans[j][1]]])
                        and entry.key in _ancestors(gaz, entity.key)):
                    return j + 1
    return end


def _ancestors(gaz: Gazetteer, key: str) -> list[str]:
    found: list[str] = []
    parent = gaz.entities[key].parent if key in gaz.entities else None
    while parent and parent not in found:
        found.append(parent)
        parent = gaz.entities[parent].parent if parent in gaz.entities else None
    return found


def _context_ok(entry: _Entry, gaz: Gazetteer, paragraph: Paragraph, spans: list[tuple[int, int]],
                i: int, words: list[str], history: list[Mention], found: list[Mention]) -> bool:
    if entry.anaphor:
        # "the Council" / "le Conseil" / "l'Assemblée", not "Council" inside a longer name;
        # and only when there is an antecedent to refer to.
        if not entry.of_anaphor and (i == 0 or words[i - 1] not in _DETERMINERS):
            return False
        return _resolve(entry, gaz, history, found) is not None
    if entry.exact and entry.exact[-1] is not None:
        # An acronym inside a document symbol ("decision Assembly/AU/Dec.729") is not a mention.
        end = _span_end(spans, i, entry)
        text = paragraph.text
        if text[spans[i][0] - 1:spans[i][0]] == "/" or text[end:end + 1] == "/":
            return False
    if entry.after_parent:
        previous = (history + found)[-4:]
        # "sa Direction exécutive", "its President": a possessive right after the parent's name.
        if i == 0 or words[i - 1] not in _POSSESSIVES:
            return False
        parent = gaz.entities[entry.key].parent
        start = paragraph.start + spans[i][0]
        return any(m.entity == parent and m.paragraph == paragraph.id
                   and 0 <= start - m.end <= _AFTER_PARENT_WINDOW for m in previous[-4:])
    return True


def _span_end(spans: list[tuple[int, int]], i: int, entry: _Entry) -> int:
    """End offset of an acronym entry matched at token i (one token per surface word)."""
    return spans[min(i + len(entry.exact), len(spans)) - 1][1]


def _resolve(entry: _Entry, gaz: Gazetteer, history: list[Mention],
             found: list[Mention]) -> Entity | None:
    if entry.excluded:
        return None
    if not entry.anaphor:
        return gaz.entities[entry.key]
    for mention in chain(reversed(found), reversed(history)):
        antecedent = gaz.entities.get(mention.entity)
        if mention.kind == "official" and antecedent is not None:
            # "the President of the Economic and Social Council … the Council": the body a post
            # was named with is named too
            antecedent = gaz.entities.get(antecedent.parent or "")
        if (antecedent is None or antecedent.kind not in ("body", "organization")
                or entry.anaphor not in antecedent.label.split()):
            continue
        if not entry.of_anaphor:
            return antecedent
        post = gaz.entities[entry.key]
        return post if post.parent == antecedent.key else None
    return None


# Persons: "(Signé) Vitaly Churkin", "M. Kofi Annan", "Mr. Ban Ki-moon", "H.E. Ms. Amina Mohammed".
_NAME = (r"[^\W\d_][\w'’-]*(?:[ \t]+(?:(?:de|da|van|von|al|el|bin|ben|del|di|du|le|la)[ \t]+)?"
         r"[^\W\d_][\w'’-]*){0,3}")
_SIGNED = re.compile(rf"\((?:Signé|Signed|Firmado)\)[ \t]+({_NAME})")
# The lookahead (the titles' first letters) is a one-character test that fails fast at most
# characters, before the costlier lookbehind and alternation (same matches, ~35% less time).
_TITLED = re.compile(
    rf"(?=[DHMS])(?<![\w.])(?:M\.|Mme|Mlle|Mr\.?|Mrs\.?|Ms\.?|H\.\s?E\.|S\.\s?E\.|Dr\.?|Sir)"
    rf"[ \t]+({_NAME})")


def _person_mentions(paragraph: Paragraph, known: list[str]) -> list[Mention]:
    found = []
    spans: list[tuple[int, int]] = []
    for match in [*_SIGNED.finditer(paragraph.text), *_TITLED.finditer(paragraph.text)]:
        start, end = match.span(1)
        name = _trim_name(match.group(1))
        if not name or not all(w[:1].isupper() for w in name.split() if len(w) > 3):
            continue
        spans.append((start, start + len(name)))
    for name in known:
        for match in re.finditer(re.escape(name), paragraph.text):
            spans.append(match.span())
    seen: set[tuple[int, int]] = set()
    for start, end in sorted(spans):
        if any(s <= start < e for s, e in seen):
            continue
        seen.add((start, end))
        name = paragraph.text[start:end]
        found.append(Mention(entity=person_key(name), label=name, kind="person", text=name,
                             paragraph=paragraph.id, start=paragraph.start + start,
                             end=paragraph.start + end))
    return found


def _trim_name(name: str) -> str:
    words = name.split()
    while words and not words[-1][:1].isupper():
        words.pop()
    return " ".join(words) if len(words) >= 2 else ""


# Names of organisations no authority entry covers: capitalised words (and the small words inside
# names) holding a head noun of `vocab/org-titles.ttl`. Hyphenated words are one word
# ("Portuguese-speaking"); a footnote number ends the name.
_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)*")
_NAME_INNER = {"of", "for", "on", "and", "in", "from", "da", "de", "do", "dos", "das"}
# "World Summit on the Information Society": the name began before "the"
_NAME_BEFORE_THE = re.compile(r"[^\W\d_][\w-]*\s+(?:of|for|on|in|from|to)\s+the\s+$")
# "Institute of Social, Political and Economic Research": the name goes on after the comma
_NAME_GOES_ON = re.compile(r"\s*,\s*[^\W\d_][\w-]*(?:\s*,\s*[^\W\d_][\w-]*)*\s+and\s+[^\W\d_]")
_LOWER_NEXT = re.compile(r"[ \t]+(?!(?:and|or|the|of|for|on|in|to|at|with|as)\b)[a-z]")
_NAME_GOES_ON_LOWER = re.compile(r"[ \t]+(?:on|for|of)[ \t]+(?!the\b)[a-z]")
# "Association of South-East Nations (ASEAN)": the acronym says whose name it is
_ACRONYM_AFTER = re.compile(r"\s*\(([^\W\d_][\w-]*)\)")
# A heading in title case: a capitalised connector inside a line
_TITLE_CASE = re.compile(r"(?:^|[^\W\d_] )(?:For|Of|And|To|On) [^\W\d_]", re.MULTILINE)
# A capitalised word right after a name, on the same line, that is no symbol ("A/RES/79/1")
_NEXT_CAPITAL = re.compile(r"(?:[ \t]+|-)([A-Z][\w’'-]*)(?![\w’'-]*/)")
_NEXT_CAPITAL_LINES = re.compile(r"(?:\s+|-)([A-Z][\w’'-]*)(?![\w’'-]*/)")
# A capitalised word right before a one-word name ("Joint Secretariat")
_PREVIOUS_CAPITAL = re.compile(r"(?<![\w.])([A-Z][\w’'-]*)[ \t]+$")
_DETERMINER_CAPS = {"The", "Its", "Their", "Our", "This", "That"}
# Capitalised as a sentence's first word, not as part of a name
_SENTENCE_WORDS = {"The", "See", "Also", "In", "For", "This", "These", "Its", "At", "On", "By"}
# Characters read on each side of a name for a line break that cuts it.
_LINE_WINDOW = 1000
# "without reference to a Main Committee": a class of bodies, not a name
_NOT_A_NAME_BEFORE = re.compile(r"\b(?:a|an|each|any|every|another)\s+$", re.IGNORECASE)


def _cut_by_line_break(text: str, start: int, end: int) -> bool:
    """A line break sits right before or after text[start:end] and a word of the same name is on
    the other side ("Collective\nSecurity Treaty Organization", "Preparatory Commission\nfor …").
    Reads a bounded window on each side: a copy of all the text before would make a huge
    paragraph quadratic."""
    before = text[max(0, start - _LINE_WINDOW):start].rstrip(" \t")
    if before.endswith("\n"):
        last = before.rstrip().rsplit(None, 1)[-1:] or [""]
        if last[0][:1].isupper() or last[0] in _NAME_INNER:
            return True
    after = text[end:end + _LINE_WINDOW].lstrip(" \t")
    if after.startswith("\n"):
        nxt = after.lstrip().split(None, 1)[:1] or [""]
        if nxt[0][:1].isupper() or nxt[0] in _NAME_INNER | {"the"}:
            return True
    return False


def _at_sentence_start(text: str, pos: int) -> bool:
    """Only spaces, digits and brackets stand between a sentence's start (the text's start or a
    '.', ';' or ':') and `pos`: `_SENTENCE_START` read backwards from `pos`, in time linear in
    what it skips rather than in all the text before."""
    i = pos
    while i > 0 and (text[i - 1].isspace() or text[i - 1].isdecimal() or text[i - 1] in "()"):
        i -= 1
    return i == 0 or text[i - 1] in ".;:"


def _named_before(name: str, history: list[Mention], added: list[Mention]) -> Mention | None:
    """The last organisation or body mentioned whose name holds `name`'s words in order ("Office
    of the High Commissioner" in "Office of the United Nations High Commissioner for …")."""
    words = _WORD.findall(fold(name))
    for mention in chain(reversed(added), reversed(history)):
        if mention.kind not in ("organization", "body"):
            continue
        label = iter(_WORD.findall(fold(mention.label)))
        if all(word in label for word in words):  # a subsequence: `in` consumes the iterator
            return mention
    return None


def _named_organisations(gaz: Gazetteer, paragraph: Paragraph, mentions: list[Mention],
                         history: list[Mention]) -> list[Mention]:
    """`mentions` and the names of unlisted organisations in the paragraph. A State named inside
    such a name ("National Council for Ethics in Life Sciences of Portugal") is part of it; the
    first words of a name named before in the document ("the Special Committee") are that
    entity."""
    text, heads = paragraph.text, gaz.name_heads
    runs: list[list[re.Match[str]]] = []
    run: list[re.Match[str]] = []
    for match in _NAME_WORD.finditer(text):
        word = match.group()
        gap = text[run[-1].end():match.start()] if run else ""
        joined = bool(run) and not gap.strip() and "\n" not in gap
        if (word == "the" and joined and run[-1].group() in _NAME_INNER - {"and"}
                and any(m.group() in heads for m in run)):
            # "Commission for the Conservation of Atlantic Tunas": a name's complement; but in
            # "report of the Special Committee" the name starts after "the"
            run.append(match)
            continue
        if word[:1].isupper() or (word in _NAME_INNER and run):
            if run and not joined:
                runs.append(run)
                run = []
            if word[:1].isupper() or run:
                run.append(match)
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    added: list[Mention] = []
    dropped: set[int] = set()
    # "the Cultural Institute, the Science Foundation and the Educational Institute of the ECO":
    # names too short alone, read as organs of the organisation that ends their list
    short: list[tuple[int, int, str]] = []
    for run in runs:
        while run and run[-1].group() in _NAME_INNER | {"the"}:
            run = run[:-1]
        if (len(run) >= 3 and run[-2].group() == "on"
                and _LOWER_NEXT.match(text, run[-1].end())):
            run = run[:-2]  # "… Private Law on State ownership": "State" begins a description
            while run and run[-1].group() in _NAME_INNER | {"the"}:
                run = run[:-1]
        if run and (run[0].group() in _SENTENCE_WORDS or (
                run[0].group().endswith("s") and _at_sentence_start(text, run[0].start()))):
            run = run[1:]  # "The …", "See …", "Welcomes …": the sentence's first word
        if run and run[0].group().endswith(("'s", "’s")):
            run = run[1:]  # "the Community’s Human Milk Bank Network"
        capitals = [m for m in run if m.group()[:1].isupper()]
        words_ = [m.group() for m in run]
        spans_ = [(m.start - paragraph.start, m.end - paragraph.start) for m in mentions]
        cut = next((k for k, w in enumerate(words_) if (w,) in gaz.not_names), None)
        if cut is not None:
            # "International Day of University Sport", "Executive Board of the Fund in November"
            run = run[:cut]
            while run and run[-1].group() in _NAME_INNER | {"the"}:
                run = run[:-1]
            capitals = [m for m in run if m.group()[:1].isupper()]
            words_ = [m.group() for m in run]
            if not run or (words_[0] in heads and len(capitals) == 1):
                continue
        if len(words_) >= 2 and words_[-2] == "the":
            continue  # "Executive Board of the Fund": "the Fund" refers to a body named before
        if "and" in words_:
            # "the Office of the High Commissioner and States": a name named before, and more
            first = words_.index("and")
            earlier = [*history,
                       *(m for m in mentions if m.end - paragraph.start <= run[0].start())]
            if first and _named_before(" ".join(words_[:first]), earlier, added) is not None:
                run = run[:first]
                capitals = [m for m in run if m.group()[:1].isupper()]
                words_ = words_[:first]
        if len(capitals) < 2 or not any(
                w in heads and not any(tuple(words_[k + 1 - len(t):k + 1]) == t
                                       for t in gaz.not_names)
                # "Union of Soviet Socialist Republics": a head inside a name found is its word
                and not any(s <= run[k].start() < e for s, e in spans_)
                for k, w in enumerate(words_)):
            continue
        if _cut_by_line_break(text, run[0].start(), run[-1].end()):
            continue  # a piece of a name broken over two lines
        if all(m.group().isupper() for m in capitals):
            continue  # a row of acronyms
        before = text[max(0, run[0].start() - 60):run[0].start()]
        if _NAME_BEFORE_THE.search(before) and before.split()[-3][:1].isupper():
            continue
        if _NOT_A_NAME_BEFORE.search(before):
            continue
        line_start = text.rfind("\n", 0, run[0].start()) + 1
        line_end = text.find("\n", run[-1].end())
        if (any(m.group().lower() in _NAME_INNER | {"the"} for m in capitals[1:])
                or _TITLE_CASE.search(text, line_start, line_end if line_end >= 0 else len(text))):
            continue  # a heading in title case ("Preparatory Commission For The …")
        start, end = run[0].start(), run[-1].end()
        if capitals[-1].group() not in heads and _NAME_GOES_ON.match(text, end):
            continue  # only the first words of a name
        if _NAME_GOES_ON_LOWER.match(text, end):
            continue  # "Ad Hoc Committee on criminal accountability of …": a description
        acronym = _ACRONYM_AFTER.match(text, end)
        if acronym and any(m.start - paragraph.start == acronym.start(1) for m in mentions):
            continue
        inside = [k for k, m in enumerate(mentions)
                  if m.start - paragraph.start < end and start < m.end - paragraph.start]
        names = [k for k in inside if mentions[k].kind != "state"]
        parent = None
        own_name = ""
        if names:
            # "Economic Cooperation Organization Trade and Development Bank": an organisation's
            # name, then the name of one of its organs; "the Science Foundation of the Economic
            # Cooperation Organization": the organ's name, "of" and the organisation's
            first_name, last_name = mentions[names[0]], mentions[names[-1]]
            rest = [m for m in run if m.start() >= first_name.end - paragraph.start]
            own_run = [m for m in run if m.end() <= last_name.start - paragraph.start]
            if (len(names) == 1 and first_name.start - paragraph.start == start
                    and first_name.kind in ("organization", "body") and rest
                    and rest[0].group()[:1].isupper()
                    and any(m.group() in heads for m in rest)):
                own_name = " ".join(text[rest[0].start():end].split())
            elif (len(names) == 1 and last_name.end - paragraph.start == end
                  and last_name.kind in ("organization", "body") and len(own_run) >= 3
                  and [m.group() for m in own_run[-2:]] in (["of", "the"], ["Of", "the"])
                  and own_run[-3].group() in heads
                  and sum(m.group()[:1].isupper() for m in own_run[:-2]) >= 2):
                own_name = " ".join(text[own_run[0].start():own_run[-3].end()].split())
            else:
                continue  # an authority name is there: it is read as such
            parent = gaz.entities.get(first_name.entity)
            if parent is None:
                continue
        name = " ".join(text[start:end].split())
        earlier = [*history, *(m for m in mentions if m.end - paragraph.start <= start)]
        antecedent = None if inside else _named_before(name, earlier, added)
        if antecedent is not None:
            added.append(Mention(entity=antecedent.entity, label=antecedent.label,
                                 kind=antecedent.kind, text=text[start:end], paragraph=paragraph.id,
                                 start=paragraph.start + start, end=paragraph.start + end))
            continue
        if parent is None and len(capitals) < 3:
            if len(capitals) == 2 and words_[0][:1].isupper() and not inside:
                short.append((start, end, name))
            continue  # "the Regional Centre", "an Advisory Committee": too short to be a name
        dropped.update(inside)
        if parent is None:
            key, kind = f"org/named/{slug(name)}", "organization"
        else:
            key, kind = _organ(gaz, parent, name, own_name)
        added.append(Mention(entity=key, label=name, kind=kind, text=text[start:end],
                             paragraph=paragraph.id, start=paragraph.start + start,
                             end=paragraph.start + end))
        if parent is not None and start < mentions[names[0]].start - paragraph.start:
            cursor = start  # the organ's name came first: others may precede it in a list
            for short_start, short_end, short_name in reversed(short):
                if not _LIST_GAP.fullmatch(text, short_end, cursor):
                    break
                key, kind = _organ(gaz, parent, f"{short_name} of the {parent.label}",
                                   short_name)
                added.append(Mention(entity=key, label=gaz.entities[key].label, kind=kind,
                                     text=text[short_start:short_end], paragraph=paragraph.id,
                                     start=paragraph.start + short_start,
                                     end=paragraph.start + short_end))
                cursor = short_start
    kept = [m for k, m in enumerate(mentions) if k not in dropped]
    return _drop_name_pieces(text, paragraph.start, sorted(kept + added, key=lambda m: m.start),
                             across_lines=paragraph.kind != "header")


_LIST_GAP = re.compile(r"\s*(?:,|,?\s+and)\s+the\s+")


def _organ(gaz: Gazetteer, parent: Entity, name: str, own: str) -> tuple[str, str]:
    """The key and kind of the organ `own` of `parent` (named `name` in full), made once."""
    kind = "body" if parent.key == _UN else parent.kind  # an organ of the UN is a UN body
    key = f"{parent.key}-{slug(own)}"
    if key not in gaz.entities:
        gaz.entities[key] = Entity(key, name, kind, parent.key)
        parent_names = gaz.english.get(parent.key, frozenset())
        gaz.english[key] = frozenset({name} | {f"{p} {own}" for p in parent_names}
                                     | {f"{own} of the {p}" for p in parent_names})
    return key, kind


def _drop_name_pieces(text: str, offset: int, mentions: list[Mention], *,
                      across_lines: bool) -> list[Mention]:
    """Drop an organisation's name that is only a piece of a longer proper name: followed by a
    capitalised word ("United Nations Convention on the Law of the Sea", "United Nations Logistics
    Base"), or a one-word name after one ("Quadripartite Joint Secretariat")."""
    covered = [(m.start - offset, m.end - offset) for m in mentions]
    kept = []
    for m in mentions:
        start, end = m.start - offset, m.end - offset
        if m.kind in ("organization", "body"):
            after = (_NEXT_CAPITAL_LINES if across_lines else _NEXT_CAPITAL).match(text, end)
            if after and not any(s == after.start(1) for s, _e in covered):
                continue
            if " " not in m.text.strip() and "-" not in m.text:
                before = _PREVIOUS_CAPITAL.search(text, 0, start)
                if (before and before.group(1) not in _SENTENCE_WORDS | _DETERMINER_CAPS
                        and not any(s <= before.start(1) < e for s, e in covered)):
                    continue
        kept.append(m)
    return kept


def find_mentions(doc: Document) -> list[Mention]:
    """Every mention of an authority entity or a person in `doc.paragraphs`, in text order."""
    gaz = gazetteer()
    known = [s.name for s in doc.signatories if s.name]
    mentions: list[Mention] = []
    for paragraph in doc.paragraphs:
        entity_mentions = _match_paragraph(gaz, paragraph, mentions)
        if doc.language != "fr":
            entity_mentions = _named_organisations(gaz, paragraph, entity_mentions, mentions)
        people = [p for p in _person_mentions(paragraph, known)
                  if not any(m.start < p.end and p.start < m.end for m in entity_mentions)]
        found = sorted(entity_mentions + people, key=lambda m: m.start)
        if doc.text is not None:
            _to_source_offsets(found, paragraph, doc.text)
        mentions.extend(found)
    return mentions


@lru_cache(maxsize=4096)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """The words in order with anything but word characters between them."""
    return re.compile(r"\W*".join(re.escape(w) for w in words))


def _to_source_offsets(mentions: list[Mention], paragraph: Paragraph, source: str) -> None:
    """Paragraph text is cleaned (whitespace joined, page furniture dropped): find each mention's
    first and last words, in order, in the paragraph's span of the source text."""
    raw = source[paragraph.start:paragraph.end]
    if raw == paragraph.text:
        return
    cursor = 0
    for mention in mentions:
        words = _WORD.findall(mention.text)
        if not words:
            continue
        # Cleaning only deletes characters (line ends joined, furniture dropped): a word is never
        # earlier in the source than in the paragraph text, so the search starts there (a
        # mention dropped before would otherwise leave its place to the next one)
        pattern = _words_pattern(tuple(words))
        match = (pattern.search(raw, max(cursor, mention.start - paragraph.start))
                 or pattern.search(raw, cursor))
        if match is None:  # page furniture inside the name: anchor on its first and last words
            first = raw.find(words[0], cursor)
            last = raw.find(words[-1], first + len(words[0])) if first >= 0 else -1
            if first < 0 or last < 0 or len(words) == 1:
                continue
            span = (first, last + len(words[-1]))
        else:
            span = match.span()
        mention.start, mention.end = paragraph.start + span[0], paragraph.start + span[1]
        cursor = span[1]
