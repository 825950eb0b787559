"""The ``eventwatch`` command: thin wrappers over the library; only this module prints."""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import date
from pathlib import Path

import click

from eventwatch import export
from eventwatch.errors import EventwatchError

logger = logging.getLogger("eventwatch")


class _Group(click.Group):
    """Turns EventwatchError into one line on stderr and exit status 1 (traceback with --debug)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except EventwatchError as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise click.ClickException(str(error)) from error


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug detail).")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
@click.version_option(package_name="eventwatch")
@click.pass_context
def cli(ctx: click.Context, verbose: int, debug: bool) -> None:
    """Read conflict news; write ACLED-style events.

    \b
    Quick start:
      eventwatch extract examples/article.txt --published 2024-11-22
      eventwatch geoparse examples/article.txt --format tsv
      eventwatch evaluate ../shared/eval/dev.jsonl
    """
    ctx.obj = {"debug": debug}
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def _published(_ctx, _param, value: str | None) -> date | None:
    from eventwatch.readers import parse_published

    try:
        return parse_published(value)
    except EventwatchError as error:
        raise click.BadParameter(str(error)) from error


class _Inputs:
    """The readable inputs of a batch; warnings and errors go to stderr as they come."""

    def __init__(self, results) -> None:
        self.results = results
        self.failures = 0

    def __iter__(self):
        for result in self.results:
            for warning in result.warnings:
                click.echo(f"warning: {warning}", err=True)
            if result.error:
                self.failures += 1
                click.echo(f"error: {result.error}", err=True)
                continue
            yield result


def _progress(items, label: str):
    """A progress bar on an interactive terminal; silent in pipes and CI."""
    from tqdm import tqdm

    return tqdm(items, desc=label, unit="article", disable=not sys.stderr.isatty(), leave=False)


@cli.command()
@click.argument("source", default="-", metavar="[FILE|-]")
@click.option("--published", callback=_published, metavar="YYYY-MM-DD",
              help="Publication date, to resolve 'on Tuesday'. Without it such dates stay null.")
@click.option("--source", "source_name", metavar="NAME", help="Outlet name recorded on each event.")
@click.option("--format", "fmt", type=click.Choice(export.FORMATS), default="json", show_default=True,
              help="Output: json (one document), jsonl (a line per article), csv (a row per event), geojson.")
@click.option("--input-format", type=click.Choice(["txt", "html", "jsonl"]), default=None,
              help="Force the input format (default: from the extension, or sniffed on stdin).")
def extract(source: str, published: date | None, source_name: str | None, fmt: str, input_format: str | None) -> None:
    """Extract the events of one article or a batch.

    SOURCE is a .txt or .html article, a .jsonl file of article objects
    (batch; one output line per article), or - for standard input.

    \b
    Examples:
      eventwatch extract examples/article.txt --published 2024-11-22
      eventwatch extract examples/page.html --format geojson > events.geojson
      eventwatch extract examples/articles.jsonl --format jsonl
      cat report.txt | eventwatch extract - --published 2024-05-02 --format csv

    Exit status: 0 when every article was read, 1 when any input failed.
    """
    from eventwatch.readers import read_inputs

    pipeline = _pipeline()
    articles = found = 0
    batches = []
    header = True
    inputs = _Inputs(read_inputs(source, published=published, source_name=source_name, fmt=input_format))
    for result in _progress(inputs, "extracting"):
        article = result.article
        events = [] if result.skip_reason else pipeline.extract_article(article)
        articles += 1
        found += len(events)
        if fmt == "jsonl":
            click.echo(export.jsonl_line(article.id, events))
        elif fmt == "csv":
            click.echo(export.csv_rows(events, header=header), nl=False)
            header = False
        else:
            batches.append((article.id, events))
    if fmt == "json":
        click.echo(export.to_json(batches))
    elif fmt == "geojson":
        click.echo(export.geojson(e for _, evs in batches for e in evs))
    if sys.stderr.isatty() or inputs.failures:
        click.echo(f"{articles} article(s) read, {found} event(s) found, {inputs.failures} input(s) failed.", err=True)
    if inputs.failures:
        sys.exit(1)


@cli.command()
@click.argument("source", default="-", metavar="[FILE|-]")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "tsv"]), default="json", show_default=True,
              help="json (one document), jsonl (a line per article: id and places), tsv (a row per mention).")
@click.option("--input-format", type=click.Choice(["txt", "html", "jsonl"]), default=None,
              help="Force the input format (default: from the extension, or sniffed on stdin).")
@click.option("--demonyms", is_flag=True, help="Also list adjectives of nationality ('Syrian') as country mentions.")
def geoparse(source: str, fmt: str, input_format: str | None, demonyms: bool) -> None:
    """List every place mention with its GeoNames resolution.

    Each mention has its character span, the GeoNames id, name, feature
    code, country, admin1, coordinates and a 0..1 score; a name the text
    gives but no entry fits is listed with a null geonameid (unresolved).

    \b
    Examples:
      eventwatch geoparse examples/article.txt
      echo "Shelling hit Kherson and Nikopol." | eventwatch geoparse - --format tsv
      eventwatch geoparse examples/articles.jsonl --format jsonl
    """
    from eventwatch.geoparse import geoparse as run_geoparse
    from eventwatch.readers import read_inputs

    gazetteer = _pipeline().gazetteer
    documents = []
    if fmt == "tsv":
        click.echo("id\tstart\tend\ttext\tgeonameid\tname\tfeature_code\tcountry\tadmin1\tlatitude\tlongitude\tscore")
    inputs = _Inputs(read_inputs(source, fmt=input_format))
    for result in _progress(inputs, "geoparsing"):
        places = [] if result.skip_reason else [m.to_dict() for m in run_geoparse(result.article.text, gazetteer, demonyms=demonyms)]
        if fmt == "jsonl":
            click.echo(json.dumps({"id": result.article.id, "places": places}, ensure_ascii=False))
        elif fmt == "tsv":
            for place in places:
                cells = [result.article.id] + ["" if v is None else str(v) for v in place.values()]
                click.echo("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells))
        else:
            documents.append({"id": result.article.id, "places": places})
    if fmt == "json":
        click.echo(json.dumps(documents, ensure_ascii=False, indent=2))
    if inputs.failures:
        click.echo(f"{inputs.failures} input(s) failed; see the errors above.", err=True)
        sys.exit(1)


@cli.command()
@click.argument("gold", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scorecard as one JSON object.")
@click.option("--detail", is_flag=True, help="With --json: add per-article matches, misses and false alarms.")
def evaluate(gold: Path, as_json: bool, detail: bool) -> None:
    """Score extraction against a gold file (GOLD_FORMAT.md).

    \b
    Example:
      eventwatch evaluate ../shared/eval/dev.jsonl
      eventwatch evaluate ../shared/eval/dev.jsonl --json | jq .detection
    """
    from eventwatch.evaluate import format_table, load_gold, score
    from eventwatch.model import Article
    from eventwatch.pipeline import Pipeline
    from eventwatch.readers import parse_published

    articles = load_gold(gold)
    pipeline = Pipeline()
    started = time.perf_counter()
    predicted = {}
    for item in _progress(articles, "scoring"):
        article = Article(
            text=item["text"], id=str(item["id"]), title=item.get("title"),
            published=parse_published(item.get("published"), label=f"{gold}: {item['id']}: published"),
            source=item.get("source"),
        )
        predicted[article.id] = [e.to_dict() for e in pipeline.extract_article(article)]
    card = score(articles, predicted, seconds=time.perf_counter() - started)
    if as_json:
        click.echo(json.dumps(card.to_dict(detail=detail), indent=2))
    else:
        click.echo(format_table(card))


@cli.group()
def gazetteer() -> None:
    """Manage the embedded place index (GeoNames, built offline from installed packages).

    \b
    Example:
      eventwatch gazetteer build
    """


@gazetteer.command("build")
@click.option("--path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the index (default: the user cache directory).")
def gazetteer_build(path: Path | None) -> None:
    """Build the place index now (otherwise it is built on first use, ~30 s).

    \b
    Example:
      eventwatch gazetteer build
    """
    from eventwatch.geo.gazetteer import default_path
    from eventwatch.geo.importer import import_geonames, recorded_imports

    started = time.perf_counter()
    imported = recorded_imports(path or default_path())
    written = _build(path)
    click.echo(f"gazetteer written to {written} ({written.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s")
    if imported:
        click.echo(f"importing again the {len(imported)} GeoNames file(s) it held...", err=True)
        import_geonames(imported, written)


@gazetteer.command("import")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--download", "codes", multiple=True, metavar="XX",
              help="Fetch the GeoNames dump of a country (two-letter code, or allCountries) first; needs a network.")
@click.option("--into", "dest", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="Folder for downloaded files.")
@click.option("--mirror", default="https://download.geonames.org/export/dump/", show_default=True,
              help="Where --download fetches from (a GeoNames mirror).")
@click.option("--path", "gazetteer_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The gazetteer to add to (default: the user cache directory).")
def gazetteer_import(
    paths: tuple[Path, ...], codes: tuple[str, ...], dest: Path, mirror: str, gazetteer_path: Path | None
) -> None:
    """Add GeoNames dump files to the gazetteer, so villages resolve.

    Reads the files as GeoNames publishes them: allCountries.txt or a country's
    XX.txt (zipped or not), admin1CodesASCII.txt, admin2Codes.txt and
    alternateNamesV2.txt. A country imported in full replaces its thinner
    embedded entries. Interrupted imports resume where they stopped; importing
    a file twice changes nothing.

    \b
    Examples:
      eventwatch gazetteer import SY.zip alternateNamesV2.txt
      eventwatch gazetteer import --download NG --download ML
    """
    from tqdm import tqdm

    from eventwatch.geo.importer import download_country, import_geonames

    files = list(paths)
    for code in codes:
        bar = tqdm(desc=f"downloading {code}", unit="B", unit_scale=True, disable=not sys.stderr.isatty(), leave=False)
        files.append(download_country(
            code, dest, base_url=mirror, progress=lambda _label, done, total, bar=bar: _advance(bar, done, total)
        ))
        bar.close()
    if not files:
        raise click.UsageError("give GeoNames files to import, or --download XX")
    bar = tqdm(unit="B", unit_scale=True, disable=not sys.stderr.isatty(), leave=False)

    def progress(label: str, done: int, total: int) -> None:
        bar.set_description(label)
        _advance(bar, done, total)

    report = import_geonames(files, gazetteer_path, progress=progress)
    bar.close()
    click.echo(
        f"imported {len(report.files)} file(s) ({len(report.skipped)} already done): "
        f"{report.places_added:,} places added, {report.places_replaced:,} replaced, "
        f"{report.names_added:,} names added in {report.seconds:.1f} s"
    )


def _advance(bar, done: int, total: int) -> None:
    bar.total = total
    bar.n = done
    bar.refresh()


def _build(path: Path | None) -> Path:
    from tqdm import tqdm

    from eventwatch.geo.gazetteer import build_gazetteer

    bar = tqdm(desc="building gazetteer", unit="steps", disable=not sys.stderr.isatty(), leave=False)
    try:
        return build_gazetteer(path, progress=lambda done, total: _advance(bar, done, total))
    finally:
        bar.close()


def _pipeline():
    """The default pipeline; builds the gazetteer first, with a progress bar, if it is missing."""
    from eventwatch.geo.gazetteer import default_path
    from eventwatch.pipeline import Pipeline

    if not default_path().exists():
        click.echo("first run: building the place index once (about 15 s)...", err=True)
        _build(None)
    return Pipeline()
