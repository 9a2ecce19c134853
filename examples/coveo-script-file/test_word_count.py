"""Unit tests of `word_count.py`, run like any other code: `pytest examples/coveo-script-file`.

`run_extension` runs the script in a process of its own, as Coveo's runtime would, on a mock document in
the shape of Coveo's test API; no Coveo organization and no emulator are needed.
"""

from pathlib import Path

from pulumi_search_extensions.coveo.runtime import run_extension

SCRIPT = (Path(__file__).parent / "word_count.py").read_text(encoding="utf-8")
STREAMS = ["BODY_TEXT", "DOCUMENT_DATA"]  # what the extension declares in __main__.py


def page(body: str, original: str) -> dict:
    """A mock document: its original file as crawled, and the body text the conversion extracted."""
    return {
        "id": "https://example.com/a",
        "dataStreams": [
            {"origin": "crawler", "values": {"DOCUMENT_DATA": {"inlineContent": original}}},
            {"origin": "converter", "values": {"BODY_TEXT": {"inlineContent": body}}},
        ],
    }


def test_counts_the_words_and_the_bytes_of_the_original() -> None:
    report = run_extension(
        SCRIPT, page("three small words", "<p>three small words</p>"), name="word-count", required_data_streams=STREAMS
    )
    assert report["result"] == {"status": "SUCCESS"}
    added = report["document"]["metadata"][-1]
    assert added == {"origin": "word-count", "values": {"wordcount": ["3"], "originalsize": ["24"]}}
    assert report["logs"] == [{"severity": "NORMAL", "comment": "3 words, 24 bytes"}]


def test_fails_without_the_data_streams_it_reads() -> None:
    report = run_extension(SCRIPT, page("a b", "ab"), name="word-count", required_data_streams=[])
    assert report["result"]["status"] == "EXECUTION_ERROR"
    assert "AttributeError" in report["result"]["reason"]  # get_data_stream gives None for an undeclared stream
