"""`unkg build`, `load`, `validate`, `describe`, `export`, `stats`: the graph on disk.

Thin: each command opens a `KnowledgeGraph` and calls the library. Errors are `UnkgError`s that
`unkg.cli.main` prints as one line; exit codes 0 ok, 1 non-conformant data, 2 usage or input error.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from unkg.ontology import DEFAULT_BASE

if TYPE_CHECKING:
    from unkg.api import KnowledgeGraph
    from unkg.graph.load import LoadReport

DEFAULT_STORE = Path("unkg-data")
StoreOption = Annotated[Path, typer.Option("--store", help="Embedded store directory.")]
BaseOption = Annotated[str | None, typer.Option(
    "--base", help=f"Base IRI of the graph's instance data (default {DEFAULT_BASE}).")]
PathsArgument = Annotated[list[Path] | None, typer.Argument(
    help="Source files or directories (default: the bundled sample corpus).")]
ForceOption = Annotated[bool, typer.Option("--force", help="Reload files even if unchanged.")]
WorkersOption = Annotated[int | None, typer.Option(
    "--workers", help="Parallel worker processes (default: up to 4).")]
ReportOption = Annotated[Path | None, typer.Option(
    "--report", help="Write a per-file report (what was extracted, left out or skipped, and "
    "why) to this file: .json, or .csv with one row per file.")]


def bundled_corpus() -> list[Path]:
    """The bundled corpus: seeds and texts, plus PDFs once a loader accepts them."""
    from importlib import resources

    from unkg.errors import InputError
    from unkg.loaders.registry import loader_for

    root = Path(str(resources.files("unkg.data").joinpath("corpus")))
    paths = [root / "seeds", root / "texts"]
    pdf = root / "pdf"
    if pdf.is_dir():
        try:
            loader_for(pdf / "probe.pdf")
            paths.append(pdf)
        except InputError:
            pass
    return paths


def _open(store: Path, base: str | None, *, create: bool = True,
          read_only: bool = False) -> KnowledgeGraph:
    from unkg.api import KnowledgeGraph
    from unkg.errors import StoreError

    if not create and not store.is_dir():
        raise StoreError("no store here: run `unkg build` first, or give --store", path=str(store))
    return KnowledgeGraph.open(store, base=base or DEFAULT_BASE, read_only=read_only)


def _load(kg: KnowledgeGraph, paths: list[Path], force: bool, workers: int | None, *,
          validate: bool = True) -> LoadReport:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), transient=True,
                  console=_console(stderr=True)) as bar:
        task = bar.add_task("loading", total=None)

        def progress(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total,
                       description=f"loading {Path(path).name}" if path else "loading")

        report = kg.load(paths, force=force, workers=workers, progress=progress,
                         validate=validate)
    for dup in report.duplicates:
        for warning in dup.warnings:
            typer.echo(f"unkg: warning: {warning}", err=True)
    for f in report.files:
        if f.status == "loaded" and f.left_out:
            graph, holder = next(iter(sorted(f.left_out.items())))
            more = f" and {len(f.left_out) - 1} more" if len(f.left_out) > 1 else ""
            n = len(f.left_out)
            typer.echo(f"unkg: warning: {Path(f.path).name}: {n} document{'s' * (n != 1)} left "
                       f"out, already loaded from another file (graph {graph} from "
                       f"{holder}{more})", err=True)
    for failed in report.failed:
        typer.echo(f"unkg: error: {failed.message()}", err=True)
    return report


_REPORT_FORMATS = (".json", ".csv")


def _check_report_path(path: Path | None) -> None:
    """Before loading (a load can take minutes): the report's format and folder are usable."""
    from unkg.errors import UsageError

    if path is None:
        return
    if path.suffix.lower() not in _REPORT_FORMATS:
        raise UsageError(f"--report {path}: the file name must end in .json or .csv")
    if not path.parent.is_dir():
        raise UsageError(f"--report {path}: no such folder {path.parent}")


def _write_report(report: LoadReport, path: Path | None) -> None:
    """The per-file load report: JSON as `LoadReport.rows()`; CSV with one row per file (the
    left-out graphs and the warnings joined with " | ")."""
    import csv
    import json

    from unkg.errors import UsageError

    if path is None:
        return
    rows = report.rows()
    try:
        with path.open("w", encoding="utf-8", newline="") as out:
            if path.suffix.lower() == ".json":
                json.dump(rows, out, ensure_ascii=False, indent=1)
                out.write("\n")
                return
            writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["file"])
            writer.writeheader()
            for f, row in zip(report.files, rows, strict=True):
                writer.writerow({**row, "warnings": " | ".join(f.warnings), "left_out": " | ".join(
                    f"{g} ({held_by})" for g, held_by in sorted(f.left_out.items()))})
    except OSError as err:
        raise UsageError(f"--report {path}: cannot write: {err.strerror}") from err


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _print_stats(kg: KnowledgeGraph, report: LoadReport | None, violations: int | None) -> None:
    from rich.table import Table

    stats = kg.stats()
    table = Table(title="unkg graph", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    if report is not None:
        table.add_row("files loaded / unchanged / duplicate / failed",
                      f"{report.loaded} / {report.skipped} / {len(report.duplicates)} / "
                      f"{len(report.failed)}")
    table.add_row("documents (loaded)", str(stats["documents"]))
    table.add_row("documents (all, with cited ones)", str(stats["document_nodes"]))
    table.add_row("citations", str(stats["citations"]))
    table.add_row("mentions", str(stats["mentions"]))
    table.add_row("entities mentioned", str(stats["entities"]))
    table.add_row("institutional links", str(stats["links"]))
    table.add_row("paragraphs", str(stats["paragraphs"]))
    table.add_row("named graphs", str(stats["graphs"]))
    table.add_row("triples", str(stats["triples"]))
    if violations is not None:
        table.add_row("violations", str(violations))
    _console().print(table)


def register(app: typer.Typer) -> None:
    @app.command("build")
    def build(paths: PathsArgument = None, store: StoreOption = DEFAULT_STORE,
              base: BaseOption = None, force: ForceOption = False,
              workers: WorkersOption = None, report_to: ReportOption = None) -> None:
        """Load source files (default: the bundled corpus), validate, print a summary."""
        from unkg.errors import NonConformantError

        _check_report_path(report_to)
        with _open(store, base) as kg:
            # One validation of the whole store (the load's own check of what it wrote would
            # repeat part of it).
            report = _load(kg, list(paths or bundled_corpus()), force, workers, validate=False)
            validation = kg.validate(workers=workers)
            _print_stats(kg, report, len(validation.violations))
        _write_report(report, report_to)
        if not validation.conforms:
            typer.echo(validation.to_text(limit_per_shape=5), err=True)
            raise NonConformantError(f"{len(validation.violations)} violations of the shapes")
        if report.failed:
            raise typer.Exit(2)

    @app.command("load")
    def load(paths: Annotated[list[Path], typer.Argument(help="Source files or directories.")],
             store: StoreOption = DEFAULT_STORE, base: BaseOption = None,
             force: ForceOption = False, workers: WorkersOption = None,
             report_to: ReportOption = None) -> None:
        """Load source files into the store (unchanged files are skipped)."""
        _check_report_path(report_to)
        with _open(store, base) as kg:
            report = _load(kg, paths, force, workers)
        _write_report(report, report_to)
        typer.echo(f"{report.loaded} files loaded ({report.documents} documents, "
                   f"{report.triples} triples), {report.skipped} unchanged, "
                   f"{len(report.duplicates)} duplicate, {len(report.failed)} failed")
        if report.failed:
            raise typer.Exit(2)

    @app.command("validate")
    def validate(store: StoreOption = DEFAULT_STORE, base: BaseOption = None,
                 format: Annotated[str, typer.Option(
                     "--format", "-f", help="text, turtle or json.")] = "text",
                 engine: Annotated[str, typer.Option(
                     "--engine", help="sparql (shapes compiled to SPARQL, fast) or pyshacl "
                                      "(the reference).")] = "sparql",
                 workers: WorkersOption = None) -> None:
        """Check the store against the SHACL shapes and the SPARQL checks (exit 1 if not)."""
        from unkg.errors import UsageError

        if format not in ("text", "turtle", "json"):
            raise UsageError(f"unknown format {format!r} (text, turtle or json)")
        with _open(store, base, create=False) as kg:
            report = kg.validate(workers=workers, engine=engine)
        out = {"text": report.to_text, "turtle": report.to_turtle, "json": report.to_json}
        typer.echo(out[format]())
        if not report.conforms:
            raise typer.Exit(1)

    @app.command("describe")
    def describe(symbol: Annotated[str, typer.Argument(
                     help="UN symbol (A/RES/69/12), or for a document without one its handle "
                          "('letter 2009-07-14 from Russian Federation'), content id or IRI.")],
                 store: StoreOption = DEFAULT_STORE, base: BaseOption = None,
                 timeout: Annotated[float, typer.Option(
                     "--timeout", help="Seconds the lookup may take.")] = 60.0,
                 lang: Annotated[str, typer.Option(
                     "--lang", help="Language of the labels (en, fr, …; English where a "
                                    "label is missing).")] = "en") -> None:
        """What a document is, what it cites (with functions), what cites it, who it names."""
        from unkg.commands.limits import within
        from unkg.errors import InputError, UsageError

        if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", lang):
            raise UsageError(f"--lang {lang!r}: expected a language tag such as en or fr")
        with _open(store, base, create=False, read_only=True) as kg:
            d = within(timeout, lambda: kg.describe(symbol, lang=lang))
        if not d.found:
            raise InputError(f"no document with symbol, handle, content id or IRI {symbol!r} in "
                             "the store")
        _print_description(d)

    @app.command("export")
    def export(format: Annotated[str, typer.Option(
                   "--format", "-f",
                   help="ttl, nt, nq, trig or jsonld; akn: one Akoma Ntoso (AKN4UN) XML file "
                   "per language version, in --out.")] = "nq",
               output: Annotated[str | None, typer.Option(
                   "-o", "--output", help="Output file, `-` for standard output (default: "
                                          "unkg.<format>, .gz added with --gzip).")] = None,
               out: Annotated[Path, typer.Option(
                   "--out", help="Output directory of --format akn.")] = Path("akn"),
               gzip: Annotated[bool, typer.Option("--gzip", help="gzip the output.")] = False,
               store: StoreOption = DEFAULT_STORE, base: BaseOption = None) -> None:
        """Export the store, sorted and byte-stable (or as Akoma Ntoso files)."""
        import sys

        from unkg.errors import UsageError
        from unkg.graph.export import FORMATS

        if format == "akn":
            with _open(store, base, create=False) as kg:
                report = kg.export_akn(out)
            for what, reason in report.skipped:
                typer.echo(f"skipped {what}: {reason}", err=True)
            typer.echo(f"wrote {len(report.written)} Akoma Ntoso files to {out} "
                       "(each valid against the OASIS schema)")
            return
        if format not in FORMATS:
            raise UsageError(f"unknown export format {format!r} (one of "
                             f"{', '.join(FORMATS)} or akn)")
        with _open(store, base, create=False, read_only=True) as kg:
            if output == "-":
                size = kg.export(None, format, gzip=gzip, out=sys.stdout.buffer)
                sys.stdout.buffer.flush()
                typer.echo(f"wrote {size} bytes to standard output ({format}"
                           f"{', gzip' if gzip else ''})", err=True)
                return
            path = Path(output) if output else Path(f"unkg.{format}{'.gz' if gzip else ''}")
            size = kg.export(path, format, gzip=gzip)
        typer.echo(f"wrote {path} ({size} bytes, {format}{', gzip' if gzip else ''})")

    @app.command("stats")
    def stats(store: StoreOption = DEFAULT_STORE, base: BaseOption = None) -> None:
        """Counts of documents, citations, entities, links and triples in the store."""
        with _open(store, base, create=False) as kg:
            _print_stats(kg, None, None)


def _print_description(d: Any) -> None:
    from rich.table import Table

    console = _console()
    console.print(f"[bold]{d.symbol}[/bold]  <{d.iri}>")
    for key, value in d.facts.items():
        console.print(f"  {key}: {value}")
    for lang, title in sorted(d.titles.items()):
        console.print(f"  title ({lang}): {title}")
    table = Table(title=f"cites ({len(d.cites)} citations)")
    for col in ("paragraph", "function", "cited", "footnote", "as written"):
        table.add_column(col)
    for c in d.cites:
        table.add_row(*(str(c.get(k) or "") for k in
                        ("paragraph", "function", "cited_symbol", "footnote", "text")))
    console.print(table)
    table = Table(title=f"cited by ({len(d.cited_by)})")
    for col in ("citing", "function", "paragraph"):
        table.add_column(col)
    for c in d.cited_by:
        table.add_row(*(str(c.get(k) or "") for k in ("citing_symbol", "function", "paragraph")))
    console.print(table)
    table = Table(title=f"bodies and entities named ({len(d.entities)})")
    for col in ("entity", "label", "mentions"):
        table.add_column(col)
    for e in d.entities:
        table.add_row(str(e["entity"]), str(e.get("label") or ""), str(e["mentions"]))
    console.print(table)
