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


def _time_limit_option(command):
    from eventwatch.deadline import TIME_LIMIT_ENV, TIME_LIMIT_SECONDS

    return click.option(
        "--time-limit", type=click.FloatRange(min=0, min_open=True), envvar=TIME_LIMIT_ENV,
        default=TIME_LIMIT_SECONDS, show_default=True, metavar="SECONDS",
        help=f"Most time one article may take to extract; past it, the article is a recorded failure "
             f"and the run goes on (env {TIME_LIMIT_ENV}).",
    )(command)


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
@click.option("--input-format", type=click.Choice(["txt", "html", "jsonl", "csv", "feed"]), default=None,
              help="Force the input format (default: from the extension, or sniffed on stdin).")
@_time_limit_option
def extract(source: str, published: date | None, source_name: str | None, fmt: str, input_format: str | None,
            time_limit: float) -> None:
    """Extract the events of one article or a batch.

    SOURCE is a .txt or .html article, a .jsonl file of article objects
    (batch; one output line per article), or - for standard input.

    \b
    Examples:
      eventwatch extract examples/article.txt --published 2024-11-22
      eventwatch extract examples/page.html --format geojson > events.geojson
      eventwatch extract examples/articles.jsonl --format jsonl
      cat report.txt | eventwatch extract - --published 2024-05-02 --format csv

    Exit status: 0 when every article was read and extracted, 1 when any failed.
    """
    from eventwatch.errors import TimeLimitError
    from eventwatch.readers import read_inputs

    pipeline = _pipeline(time_limit)
    articles = found = 0
    batches = []
    header = True
    inputs = _Inputs(read_inputs(source, published=published, source_name=source_name, fmt=input_format))
    for result in _progress(inputs, "extracting"):
        article = result.article
        articles += 1
        try:
            events = [] if result.skip_reason else pipeline.extract_article(article)
        except TimeLimitError as error:  # a recorded failure: the batch goes on
            inputs.failures += 1
            click.echo(f"error: {result.where}: {error}", err=True)
            continue
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
@click.option("--input-format", type=click.Choice(["txt", "html", "jsonl", "csv", "feed"]), default=None,
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


def _db_option(command):
    return click.option(
        "--db", "db_url", envvar="EVENTWATCH_DB", metavar="URL", default=None,
        help="The event store: a SQLite file path or sqlite:///path, or postgresql://user@host/db "
             "(default: events.db in the user data directory; env EVENTWATCH_DB).",
    )(command)


def _filter_options(command):
    """The event filters shared by export and events (and the HTTP API)."""
    from eventwatch.filters import FILTER_HELP

    for key in reversed(list(FILTER_HELP)):
        flag = "--" + key.replace("_", "-")
        if key == "ceasefire_violation":
            command = click.option("--ceasefire-violation", "ceasefire_violation", default=None,
                                   metavar="yes|no", help=FILTER_HELP[key])(command)
        else:
            command = click.option(flag, key, default=None, help=FILTER_HELP[key])(command)
    return command


def _filters(options: dict):
    from eventwatch.filters import FILTER_HELP, parse_filter

    return parse_filter({key: options.get(key) for key in FILTER_HELP})


@cli.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--urls", "url_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A file of URLs, one per line, to fetch and ingest (needs a network).")
@_db_option
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Extraction processes (default: all cores).")
@click.option("--published", callback=_published, metavar="YYYY-MM-DD",
              help="Publication date for inputs that carry none.")
@click.option("--source", "source_name", metavar="NAME", help="Outlet name for inputs that carry none.")
@_time_limit_option
def ingest_command(paths: tuple[Path, ...], url_file: Path | None, db_url: str | None, workers: int | None,
           published: date | None, source_name: str | None, time_limit: float) -> None:
    """Extract and store the events of a corpus, merging reports of one incident.

    PATHS are files or folders (searched recursively): .txt, .html, .jsonl
    (article objects), .csv (columns text, title, published, source, url) and
    RSS/Atom feed files. Ingesting an article twice changes nothing; a run
    that is interrupted can simply be started again. Articles are stored as
    they are extracted; reports of one incident are merged into corpus events
    (what `events`, `export` and `serve` show) at the end of the run, and
    every minute while articles arrive slowly (as with --urls).

    \b
    Examples:
      eventwatch ingest examples/ --db events.db
      eventwatch ingest feeds/*.xml --db postgresql://me@localhost/events --workers 8
      eventwatch ingest --urls urls.txt

    Exit status: 0 when every input was stored, 1 when any failed (see the
    failures table: eventwatch events --failures).
    """
    from itertools import chain

    from tqdm import tqdm

    from eventwatch.ingest import ingest as run_ingest
    from eventwatch.readers import read_many
    from eventwatch.store import open_store

    if not paths and url_file is None:
        raise click.UsageError("give files or folders to ingest, or --urls FILE")
    _pipeline()  # builds the gazetteer once, before the workers start
    store = open_store(db_url)
    inputs = read_many(paths, published=published, source_name=source_name) if paths else iter(())
    if url_file is not None:
        from eventwatch.fetch import fetch_urls

        inputs = chain(inputs, fetch_urls(url_file))
    bar = tqdm(desc="ingesting", unit="article", disable=not sys.stderr.isatty(), leave=False)

    def progress(report) -> None:
        bar.n = report.read
        bar.set_postfix(stored=report.stored, failed=report.failed, refresh=False)
        bar.refresh()

    try:
        report = run_ingest(inputs, store, workers=workers, progress=progress, time_limit=time_limit)
    finally:
        bar.close()
        store.close()
    for failure in report.failures[:20]:
        click.echo(f"failed: {failure}", err=True)
    if len(report.failures) > 20:
        click.echo(f"... and {len(report.failures) - 20} more (eventwatch events --failures)", err=True)
    click.echo(
        f"{report.read} input(s) read in {report.seconds:.1f} s ({report.articles_per_second:.1f}/s): "
        f"{report.stored} stored, {report.already_stored} already stored, "
        f"{report.near_duplicates} near-duplicate(s), {report.failed} failed; {report.events} event report(s)",
        err=True,
    )
    if report.failed:
        sys.exit(1)


@cli.command("export")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["acled-csv", "geojson", "parquet", "jsonl"]),
              default="acled-csv", show_default=True, help="acled-csv has ACLED's columns in ACLED's order.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of standard output (required for parquet).")
@_filter_options
def export_command(db_url: str | None, fmt: str, output: Path | None, **options) -> None:
    """Write the stored events, filtered, as ACLED-style CSV, GeoJSON, Parquet or JSONL.

    \b
    Examples:
      eventwatch export > events.csv
      eventwatch export --country Syria --start 2024-01-01 --format geojson -o syria.geojson
      eventwatch export --min-fatalities 10 --ceasefire-violation yes --format parquet -o big.parquet
    """
    from eventwatch.export import write_events
    from eventwatch.store import open_store

    filters = _filters(options)
    if fmt == "parquet" and output is None:
        raise click.UsageError("parquet is binary: give --output FILE.parquet")
    store = open_store(db_url, read_only=True)
    try:
        events = store.query_events(filters)
        if output is None:
            write_events(events, fmt, sys.stdout)
        else:
            mode = "wb" if fmt == "parquet" else "w"
            with output.open(mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as stream:
                write_events(events, fmt, stream)
    finally:
        store.close()


@cli.command("check")
@_db_option
@click.option("--repair", is_flag=True,
              help="Merge the reports that are in no event and rebuild damaged events, then check again.")
def check_command(db_url: str | None, repair: bool) -> None:
    """Check the store's invariant: every report belongs to an existing event, and no event is without reports.

    Prints one line when all is well; otherwise one line per problem, and exits
    with status 1. Reports in no event are left by an interrupted (or still
    running) ingest; --repair merges them, as the next ingest would.

    \b
    Examples:
      eventwatch check --db events.db
      eventwatch check --db events.db --repair
    """
    from eventwatch.store import open_store
    from eventwatch.store.api import EventFilter

    store = open_store(db_url, read_only=not repair)
    try:
        if repair:
            from eventwatch.ingest import merge_pending

            undone = store.unmerge_damaged()
            written = merge_pending(store)
            click.echo(f"repair: {undone} damaged event(s) undone, {written} event(s) written", err=True)
        problems = store.check()
        events = store.count_events(EventFilter())
    finally:
        store.close()
    for problem in problems:
        click.echo(f"problem: {problem}")
    if problems:
        sys.exit(1)
    click.echo(f"ok: {events} event(s); every report belongs to an existing event and every event has reports")


@cli.command("spark-extract")
@click.argument("input_path", metavar="INPUT")
@click.argument("output", metavar="OUTPUT")
@click.option("--input-format", type=click.Choice(["jsonl", "parquet"]), default=None,
              help="jsonl: one article object per line (as `extract` reads), gzip/bzip2 allowed. parquet: "
                   "columns text (required), id, title, published, source, url. Default: from the file names.")
@click.option("--master", metavar="URL", default=None,
              help="Spark master: local[*] (the default), local[N], spark://HOST:7077, yarn, k8s://... "
                   "Under spark-submit, the master spark-submit was given.")
@click.option("--partitions", type=click.IntRange(1, 1_000_000), default=None,
              help="Tasks to split extraction into (default: the input's own split, at least one per core).")
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT/events and OUTPUT/failures if they exist.")
def spark_extract_command(input_path: str, output: str, input_format: str | None, master: str | None,
                          partitions: int | None, overwrite: bool) -> None:
    """Extract and merge the events of a corpus on Apache Spark; write them as Parquet.

    INPUT and OUTPUT are any paths Spark reads and writes: local paths,
    file://, hdfs://, s3a://... INPUT is a file, a folder or a glob of JSON
    Lines or Parquet articles. Each partition runs one pipeline; reports of
    one incident from different articles are merged with Spark operations, by
    the rules `eventwatch ingest` merges with. Needs `pip install
    'eventwatch[spark]'` and Java 17 or newer.

    \b
    OUTPUT/events/    the merged events: the columns of `export --format parquet`
    OUTPUT/failures/  records that could not be read or extracted: where, record, stage, error

    \b
    Examples:
      eventwatch spark-extract articles.jsonl out/
      eventwatch spark-extract 'archive/2024-*.jsonl.gz' out/ --master 'local[2]' --partitions 16
      eventwatch spark-extract s3a://news/articles/ s3a://news/events/ --input-format parquet --master yarn
      spark-submit --master yarn "$(python -c 'import eventwatch.spark.job as j; print(j.__file__)')" IN OUT

    Exit status: 0 when every record was read, 1 when any failed (the rest is written).
    """
    from eventwatch.spark import check_local_input, spark_extract, start_session

    check_local_input(input_path, input_format)
    spark = start_session(master)
    try:
        report = spark_extract(spark, input_path, output, input_format=input_format, partitions=partitions,
                               overwrite=overwrite)
    finally:
        spark.stop()
    click.echo(
        f"{report.articles} article(s) read in {report.partitions} partition(s) ({report.skipped} not English, "
        f"{report.failed} failed): {report.reports} report(s), {report.events} event(s) in {report.seconds:.1f} s "
        f"({report.articles_per_second:.1f} articles/s)",
        err=True,
    )
    click.echo(f"events: {output.rstrip('/')}/events  failures: {output.rstrip('/')}/failures", err=True)
    if report.failed:
        sys.exit(1)


@cli.command("events")
@_db_option
@click.option("--failures", "show_failures", is_flag=True, help="List the inputs that failed instead.")
@_filter_options
def events_command(db_url: str | None, show_failures: bool, **options) -> None:
    """A quick look at the stored events as a table in the terminal.

    \b
    Examples:
      eventwatch events --country Ukraine --start 2024-07-01 --limit 20
      eventwatch events --q "drone" --min-fatalities 1
      eventwatch events --failures
    """
    from eventwatch.store import open_store

    filters = _filters(options)
    store = open_store(db_url, read_only=True)
    try:
        if show_failures:
            rows = [[f["at"], f["where_"], f["stage"], f["message"]] for f in store.failures()]
            click.echo(_table(["at", "input", "stage", "message"], rows))
            return
        if filters.limit is None:
            from dataclasses import replace

            filters = replace(filters, limit=50)
        total = store.count_events(filters)
        rows = [
            [str(e.event.event_date or ""), e.event.country or "", e.event.location or "", e.event.sub_event_type,
             e.event.actor1, str(e.event.fatalities), str(len(e.article_ids))]
            for e in store.query_events(filters)
        ]
    finally:
        store.close()
    click.echo(_table(["date", "country", "location", "sub-event type", "actor 1", "killed", "reports"], rows))
    click.echo(f"{len(rows)} of {total} event(s)", err=True)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [min(40, max([len(h)] + [len(r[i]) for r in rows])) for i, h in enumerate(header)]

    def line(cells):
        return "  ".join(str(c)[:w].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


@cli.command("serve")
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--max-page", type=click.IntRange(1, 100_000), default=5000, show_default=True,
              help="Largest page of events one request may ask for.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Server processes (default: all cores).")
@click.option("--max-connections", type=click.IntRange(1, 100_000), default=200, show_default=True,
              help="Open connections per process; past them requests get 503.")
@click.option("--timeout", type=click.FloatRange(0, 3600, min_open=True), default=None,
              help="Seconds a client has to send a request head, and again its body "
                   "(default $EVENTWATCH_CLIENT_TIMEOUT, else 10); slower ones are cut off.")
def serve_command(db_url: str | None, host: str, port: int, max_page: int, workers: int | None,
                  max_connections: int, timeout: float | None) -> None:
    """Serve the event store over HTTP: the JSON/GeoJSON/CSV API and the map page.

    The API is documented at /docs. Ingest (POST /api/ingest) needs the key in
    EVENTWATCH_API_KEY; set EVENTWATCH_READ_KEY to require a key for reading too.
    Keys are taken from the environment so they never show in the process list.
    On a loopback address (the default) only requests whose Host header names this
    machine are answered (protection from DNS rebinding); list other names the
    server is reached by, comma-separated, in EVENTWATCH_ALLOWED_HOSTS.

    \b
    Examples:
      eventwatch serve --db events.db            # then open http://127.0.0.1:8000/
      EVENTWATCH_API_KEY=$(openssl rand -hex 16) eventwatch serve --host 0.0.0.0
    """
    from eventwatch.web.app import serve

    click.echo(f"serving http://{host}:{port}/ (API docs at /docs); Ctrl-C stops", err=True)
    import os

    serve(db_url, host=host, port=port, max_page=max_page, log_level="warning", workers=workers or os.cpu_count() or 1,
          max_connections=max_connections, timeout=timeout)


@cli.command("demo")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
def demo_command(port: int) -> None:
    """Ingest the bundled example articles into a temporary store and serve the map page.

    A new user sees the whole product with one command: open the address it
    prints. The temporary store is deleted when the server stops.

    \b
    Example:
      eventwatch demo
    """
    import tempfile
    from importlib.resources import files

    from eventwatch.ingest import ingest as run_ingest
    from eventwatch.readers import read_many
    from eventwatch.store import open_store
    from eventwatch.web.app import serve

    examples = [Path(str(files("eventwatch") / "data" / "demo.jsonl"))]
    _pipeline()
    with tempfile.TemporaryDirectory(prefix="eventwatch-demo-") as folder:
        db = Path(folder) / "demo.db"
        store = open_store(db)
        report = run_ingest(read_many(examples), store, workers=1)
        store.close()
        click.echo(f"demo: {report.stored} example articles, {report.events} event reports; "
                   f"open http://127.0.0.1:{port}/ (Ctrl-C stops)", err=True)
        serve(db, host="127.0.0.1", port=port, log_level="warning")


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


def _pipeline(time_limit: float | None = None):
    """The default pipeline; builds the gazetteer first, with a progress bar, if it is missing."""
    from eventwatch.deadline import TIME_LIMIT_SECONDS
    from eventwatch.geo.gazetteer import default_path
    from eventwatch.pipeline import Pipeline

    if not default_path().exists():
        click.echo("first run: building the place index once (about 15 s)...", err=True)
        _build(None)
    return Pipeline(time_limit=time_limit or TIME_LIMIT_SECONDS)
