"""The text index: paragraph texts in a SQLite table beside an on-disk store.

A phrase search over the store itself decodes every `unkg:text` literal out of Oxigraph (84,570
texts, ~200 ms on the bulk corpus, whatever the phrase). The index keeps each text lower-cased
with the node it belongs to, so a search reads one SQLite table (~40 ms) and hands the query the
few matching nodes (`candidates`). It only narrows: the query still tests every candidate with
its own `CONTAINS(LCASE(?text), LCASE(?phrase))`, so the answer is the query's; the index must
never miss a node, and it is trusted only when it is known to match the store:

- every write of `OxigraphStore` marks the index "writing" (committed) before it touches Oxigraph
  and marks it "ready" with the new texts of the graphs it wrote in the same SQLite transaction
  after; a crash in between leaves "writing", and the index is rebuilt from the store the next
  time the store is opened for writing;
- a missing, unreadable, "writing" or older-schema index is not used: the query scans the store.

A plain table and `instr` rather than an FTS5 trigram index: `CONTAINS` is a substring test,
which word tokens cannot narrow without missing nodes, and on the bulk corpus a trigram index
took 14x longer to build (4.9 s against 0.35 s) and 3.5x the space for a search that is already
under 100 ms with the query's own joins.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from pathlib import Path

import pyoxigraph as ox

from unkg.ontology import UNKG
from unkg.store.terms import term_value

INDEX_FILE = "unkg-text-index.sqlite"
SCHEMA_VERSION = "1"
TEXT = ox.NamedNode(f"{UNKG}text")
# More candidates than this and the query's own scan is as fast as joining them (measured on the
# bulk store: a phrase with 8,384 matching paragraphs costs the same either way).
MAX_CANDIDATES = 5000
BUSY_TIMEOUT = 60.0  # seconds a connection waits for another one's lock

# (node IRI, lower-cased text) for each text of a graph.
GraphTexts = Mapping[str, Sequence[tuple[str, str]]]


def fold(text: str) -> str:
    """The case folding of the index: SPARQL's LCASE (Unicode lower-case mapping)."""
    return text.lower()


def texts_of_graphs(graphs: Mapping[str, Iterable[ox.Quad]]) -> dict[str, list[tuple[str, str]]]:
    """graph → [(node, folded text)] for the `unkg:text` quads of each graph."""
    return {g: [(q.subject.value, fold(term_value(q.object))) for q in quads
                if q.predicate == TEXT and isinstance(q.subject, ox.NamedNode)]
            for g, quads in graphs.items()}


class TextIndex:
    """The SQLite file `INDEX_FILE` inside a store's directory."""

    def __init__(self, store_dir: Path, *, read_only: bool = False) -> None:
        self.path = store_dir / INDEX_FILE
        self.read_only = read_only

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            # as_uri() needs an absolute path (the default --store is relative)
            return sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                   timeout=BUSY_TIMEOUT)
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT)
        # Write-ahead log: a search running in another process (`unkg query`) must never make a
        # load's commit fail (with a rollback journal, a long read locked the writer out).
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "CREATE TABLE IF NOT EXISTS texts (graph TEXT NOT NULL, node TEXT NOT NULL,"
            " text TEXT NOT NULL);"
            "CREATE INDEX IF NOT EXISTS texts_graph ON texts (graph);")
        return db

    def _state(self, db: sqlite3.Connection) -> str | None:
        rows = dict(db.execute("SELECT key, value FROM meta"))
        if rows.get("schema") != SCHEMA_VERSION:
            return None
        return rows.get("state")

    def is_ready(self) -> bool:
        """True when the index is known to hold exactly the store's texts."""
        if not self.path.exists():
            return False
        try:
            with closing(self._connect()) as db:
                return self._state(db) == "ready"
        except sqlite3.Error:
            return False

    def begin(self) -> bool:
        """Mark the index untrusted until `commit`: a write to the store is about to start.
        Returns whether it was ready (for `abandon`)."""
        with closing(self._connect()) as db, db:
            ready = self._state(db) == "ready"
            db.execute("INSERT OR REPLACE INTO meta VALUES ('state', 'writing')")
        return ready

    def abandon(self, was_ready: bool) -> None:
        """The write failed and left the store as it was: the index is as good as before."""
        if was_ready:
            with closing(self._connect()) as db, db:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('state', 'ready')")

    def commit(self, texts: GraphTexts, graphs: Iterable[str]) -> None:
        """The store's `graphs` now hold `texts` (graphs without an entry hold none)."""
        with closing(self._connect()) as db, db:
            names = sorted(set(graphs))
            for i in range(0, len(names), 500):
                chunk = names[i:i + 500]
                db.execute(f"DELETE FROM texts WHERE graph IN ({','.join('?' * len(chunk))})",
                           chunk)
            db.executemany("INSERT INTO texts VALUES (?, ?, ?)",
                           ((g, node, text) for g in names for node, text in texts.get(g, ())))
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                           [("schema", SCHEMA_VERSION), ("state", "ready")])

    def rebuild(self, store: ox.Store) -> None:
        """Index every text of `store` afresh."""
        with closing(self._connect()) as db, db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('state', 'writing')")
            db.execute("DELETE FROM texts")
            db.executemany(
                "INSERT INTO texts VALUES (?, ?, ?)",
                ((q.graph_name.value, q.subject.value, fold(term_value(q.object)))
                 for q in store.quads_for_pattern(None, TEXT, None, None)
                 if isinstance(q.graph_name, ox.NamedNode)
                 and isinstance(q.subject, ox.NamedNode)))
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                           [("schema", SCHEMA_VERSION), ("state", "ready")])

    def candidates(self, phrase: str, *, limit: int = MAX_CANDIDATES) -> list[str] | None:
        """The nodes whose text contains `phrase` (case-insensitively), sorted; None when the
        index cannot answer (not ready, locked) or more than `limit` nodes match."""
        if not self.path.exists():
            return None
        try:
            with closing(self._connect()) as db:
                if self._state(db) != "ready":
                    return None
                nodes = [row[0] for row in db.execute(
                    "SELECT DISTINCT node FROM texts WHERE instr(text, ?) > 0 LIMIT ?",
                    (fold(phrase), limit + 1))]
        except sqlite3.Error:
            return None
        return None if len(nodes) > limit else sorted(nodes)

