"""A local runtime of Coveo's indexing pipeline extensions: run a script on a mock document, offline.

    from pulumi_search_extensions.coveo.runtime import run_extension

    report = run_extension(script, {"metadata": [{"origin": "crawler", "values": {"title": ["Home"]}}]})
    assert report["result"]["status"] == "SUCCESS"

The mock document and the report have the shapes of Coveo's test API (`ExtensionTestDocumentModel`,
`ExtensionTestExecutionReportModel`), so the same JSON works here, against the emulator and against the
service. The script runs in a process of its own with the globals Coveo gives (`document`, `log`,
`parameters`).
"""

from __future__ import annotations

from ._run import API_VERSIONS, DATA_STREAMS, STAGES, STATUSES, run_extension

__all__ = ["API_VERSIONS", "DATA_STREAMS", "STAGES", "STATUSES", "run_extension"]
