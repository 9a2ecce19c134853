"""A Coveo indexing pipeline extension whose script is kept in its own file (`word_count.py`).

The script reads the document's body text and its original file, so the extension asks Coveo for both
data streams. `script_path` hands the file to the provider, which reads it at each preview: editing
`word_count.py` and running `pulumi preview` shows an in-place update of `content_sha256`, and `pulumi up`
makes a new version of the same extension (same `extension_id`, new `version_id`). The state keeps the
path and the hash, never the script.
"""

from pathlib import Path

import pulumi

from pulumi_search_extensions import CoveoExtension

SCRIPT = Path(__file__).resolve().parent / "word_count.py"

word_count = CoveoExtension(
    "word-count",
    name="word-count",
    script_path=str(SCRIPT),
    description="Counts body words and records the original file size",
    required_data_streams=["BODY_TEXT", "DOCUMENT_DATA"],
    execution_timeout=10,
    # Run by every `pulumi preview` on the script, with no call to Coveo: a failing test stops the preview.
    tests=[
        {
            "name": "counts the words of the body and the bytes of the original",
            "document": {
                "dataStreams": [
                    {"origin": "crawler", "values": {"DOCUMENT_DATA": {"inlineContent": "<p>three small words</p>"}}},
                    {"origin": "converter", "values": {"BODY_TEXT": {"inlineContent": "three small words"}}},
                ]
            },
            "expect": {"metadata": {"wordcount": ["3"], "originalsize": ["24"]}, "logs": ["3 words, 24 bytes"]},
        }
    ],
)

pulumi.export("extension_id", word_count.extension_id)
pulumi.export("version_id", word_count.version_id)
pulumi.export("content_sha256", word_count.content_sha256)
pulumi.export("required_data_streams", word_count.required_data_streams)
