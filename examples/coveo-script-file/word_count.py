# ruff: noqa: F821 - `document` and `log` are globals the Coveo indexing pipeline provides at run time.
"""Counts the words of a document's body text and records the size of its original file.

Reads two data streams, so the extension declares both in `required_data_streams`: BODY_TEXT (the
extracted text) and DOCUMENT_DATA (the original file as crawled).
"""

body = document.get_data_stream("body_text").read().decode("utf-8", errors="replace")
original = document.get_data_stream("documentdata").read()
words = len(body.split())
document.add_meta_data({"wordcount": str(words), "originalsize": str(len(original))})
log(f"{words} words, {len(original)} bytes", "Normal")
