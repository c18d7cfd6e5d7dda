"""`harvester validate` reads every WARC file a `--warc` run kept back, record by record: a checksum
alone says nothing of whether the records can be read again. Each case adds a WARC written by the
run's own recorder to a copy of the session's run, with the manifest's size and sha256 made to
match, so that only reading can find what is wrong."""

import json
from io import BytesIO
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from harvester.cli import main
from harvester.extensions.warc import warc_files
from harvester.sources.content import encode_body
from harvester.sources.warcwrite import WarcRecorder
from tests.helpers.foreign_warcs import PAGE, URL

NAME = "warc/harvester-test-00000.warc.gz"
HTML = [("Content-Type", "text/html; charset=utf-8")]


def keep(run: Path, answers: list[tuple[list[str], bytes]]) -> list[int]:
    """Write the answers (codings as the Content-Encoding, the body as sent) as the run's kept
    WARC, list it in the manifest as a `--warc` run does, and give each response's offset."""
    with WarcRecorder(run / "warc", "harvester-test", {"job": "test"}) as recorder:
        for number, (codings, body) in enumerate(answers):
            coded = [("Content-Encoding", ", ".join(codings))] if codings else []
            recorder.write(f"{URL}?{number}", "GET", [("Accept-Encoding", "br, zstd")], 200,
                           "OK", [*HTML, *coded], body)
    manifest = json.loads((run / "manifest.json").read_text())
    manifest["warc"] = {"files": warc_files(run)}
    (run / "manifest.json").write_text(json.dumps(manifest))
    records = ArchiveIterator(BytesIO((run / NAME).read_bytes()))
    return [records.get_record_offset() for record in records if record.rec_type == "response"]


def validate(run: Path, capsys) -> tuple[int, list[str]]:
    code = main(["validate", str(run)])
    return code, capsys.readouterr().out.splitlines()


def test_a_run_whose_kept_records_all_read_back_is_valid(copy, capsys):
    bomb = encode_body(b" " * 40_000_000, ["gzip"])   # past the size limit: read up to it
    cut = encode_body(PAGE, ["br"])
    keep(copy, [(["br"], encode_body(PAGE, ["br"])), (["zstd"], encode_body(PAGE, ["zstd"])),
                (["gzip", "br"], encode_body(PAGE, ["gzip", "br"])), ([], PAGE),
                (["gzip"], bomb), (["br"], cut[:len(cut) // 2]), (["br"], b"")])
    assert validate(copy, capsys) == (0, [])


@pytest.mark.parametrize(("codings", "body", "reason"), [
    (["br"], encode_body(PAGE, ["br"])[:100] + bytes(200) + encode_body(PAGE, ["br"])[300:],
     "br body does not decode (brotli: decoder failed)"),
    (["zstd"], b"\x28\xb5\x2f\xfd\x00garbage",
     "zstd body does not decode (Unable to decompress Zstandard data: Data corruption "
     "detected)"),
    (["compress"], PAGE, "unknown content coding 'compress'"),
])
def test_a_kept_body_that_does_not_decode_makes_the_run_invalid(copy, capsys, codings, body,
                                                                 reason):
    offsets = keep(copy, [(["br"], encode_body(PAGE, ["br"])), (codings, body), ([], PAGE)])
    assert validate(copy, capsys) == (1, [f"{NAME} at byte {offsets[1]}: {reason}"])


def test_a_kept_file_cut_short_makes_the_run_invalid(copy, capsys):
    offsets = keep(copy, [([], PAGE), (["br"], encode_body(PAGE, ["br"]))])
    path = copy / NAME
    data = path.read_bytes()
    path.write_bytes(data[:(offsets[1] + len(data)) // 2])   # inside the last response
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["warc"] = {"files": warc_files(copy)}
    (copy / "manifest.json").write_text(json.dumps(manifest))
    code, lines = validate(copy, capsys)
    assert code == 1
    assert lines == [f"{NAME} at byte {offsets[1]}: record cut short"]
