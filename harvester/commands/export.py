"""`harvester export`: a published run as SQLite, CSV or Parquet, or one citation per document
as CSL-JSON, RIS or BibTeX, after validating it (a file validated at publication and unchanged
since is not checked against its schema again, unless `--revalidate`)."""

import sys
from pathlib import Path

from scrapy.exceptions import UsageError

from harvester.commands.writable import unwritable
from harvester.crawl import EXIT_FAILED, EXIT_OK
from harvester.extras import missing_extra

# Format -> what the default output is called after the run id.
SUFFIXES = {"sqlite": ".sqlite", "csv": "-csv", "parquet": "-parquet", "csl": ".csl.json",
            "ris": ".ris", "bibtex": ".bib"}
# Formats written as one file (the others are folders of tables).
FILE_FORMATS = ("sqlite", "csl", "ris", "bibtex")


def register(commands) -> None:
    export = commands.add_parser("export", help="write a published run as SQLite, CSV or "
                                                "Parquet, or its citations")
    export.add_argument("format", choices=list(SUFFIXES),
                        help="sqlite (one database file), csv or parquet (a folder of tables), "
                             "or one citation per document: csl (CSL-JSON), ris or bibtex")
    export.add_argument("run_dir", type=Path, metavar="RUN_DIR",
                        help="a run folder, e.g. output/latest")
    export.add_argument("out", type=Path, nargs="?", metavar="OUT",
                        help="file (sqlite, csl, ris, bibtex) or folder (csv, parquet) to "
                             "write; default: <run-id>.sqlite, <run-id>-csv, "
                             "<run-id>-parquet, <run-id>.csl.json, <run-id>.ris or "
                             "<run-id>.bib here")
    export.add_argument("--verbatim", action="store_true",
                        help="csv: write text cells exactly as they are, for programs; by "
                             "default a cell starting with = + - @, a tab or a carriage return "
                             "gets a leading apostrophe so a spreadsheet shows it as text")
    export.add_argument("--revalidate", "--no-trust", action="store_true",
                        help="check every record against its schema, even in files validated "
                             "when the run was published and unchanged since")
    export.add_argument("--quiet", "-q", action="store_true",
                        help="no progress lines and no summary on stderr")
    export.set_defaults(handler=run)


def check_output(out: Path, format: str) -> None:
    """Refuse, before validating the run, an output that cannot be written: its folder
    unwritable, or a file where a folder goes (or the reverse)."""
    why = unwritable(out.parent)
    if why:
        raise UsageError(f"cannot write {out}: {out.parent} is not a writable folder ({why})")
    if format in FILE_FORMATS and out.is_dir():
        raise UsageError(f"cannot write {out}: it is a folder ({format} writes a file)")
    if format not in FILE_FORMATS and out.exists() and not out.is_dir():
        raise UsageError(f"cannot write {out}: it is a file ({format} writes a folder)")


def write(args, records, package, out: Path, progress) -> None:
    """The export itself, once the run is known to be valid."""
    from harvester.dataset.cite_formats import WRITERS
    from harvester.dataset.export_csv import export_csv
    from harvester.dataset.export_parquet import export_parquet
    from harvester.dataset.export_sqlite import export_sqlite

    if args.format == "sqlite":
        export_sqlite(records, package, out, progress)
    elif args.format == "parquet":
        export_parquet(records, package, out, progress)
    elif args.format in WRITERS:
        WRITERS[args.format](records.documents, out)
    else:
        warnings = export_csv(records, out, verbatim=args.verbatim, progress=progress)
        progress.finish()
        for warning in warnings:
            print(f"harvester: {warning}", file=sys.stderr)


def run(args) -> int:
    from harvester.dataset.cite_formats import CitationsUnavailable
    from harvester.dataset.export_parquet import NotTypable, ParquetUnavailable
    from harvester.dataset.progress import Progress
    from harvester.dataset.source import RunNotValid, default_output, load_valid_run

    out = args.out or default_output(args.run_dir, SUFFIXES[args.format])
    check_output(out, args.format)
    progress = Progress.silent() if args.quiet else Progress(sys.stderr)
    try:
        records, package, check = load_valid_run(args.run_dir, trust=not args.revalidate,
                                                  progress=progress)
        write(args, records, package, out, progress)
    except RunNotValid as invalid:
        progress.finish()
        for problem in invalid.problems:
            print(problem, file=sys.stderr)
        print(f"harvester: not exported: {invalid}", file=sys.stderr)
        return EXIT_FAILED
    except ParquetUnavailable:
        progress.finish()
        raise missing_extra("export parquet", "parquet", "pyarrow") from None
    except CitationsUnavailable as missing:
        progress.finish()
        raise missing_extra(f"export {args.format}", "cite", missing.module) from None
    except NotTypable as error:
        progress.finish()
        print(f"harvester: {error}", file=sys.stderr)
        return EXIT_FAILED
    progress.finish(summary(records.count(), out, check.trusted, progress.elapsed()))
    print(out)
    return EXIT_OK


def summary(records: int, out: Path, trusted: list[str], seconds: float) -> str:
    from harvester.dataset.files import DATA_FILES

    how = (f"; {len(trusted)} of {len(DATA_FILES)} record files trusted as validated at publication"
           if trusted else "; every record checked")
    return f"harvester: {records} records exported to {out} in {seconds:.1f}s{how}"
