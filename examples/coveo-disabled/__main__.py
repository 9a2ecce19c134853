"""A Coveo indexing pipeline extension that exists but is disabled (`enabled=False`).

A disabled extension keeps its script and its versions, and sources may still reference it, but Coveo
skips it when it indexes. Set the stack config `coveo-disabled:enabled` to `true` and run `pulumi up` to
switch it on in place (same extension, no new version). If Coveo disables it by itself (an extension
that keeps timing out), `pulumi refresh` records that and the next preview shows the update back.
"""

import pulumi

from pulumi_search_extensions import CoveoExtension

config = pulumi.Config()

SCRIPT = """\
# Tags documents whose title mentions a product that is on hold (kept for reference, not run while disabled).
title = (document.get_meta_data_value("title") or [""])[0]
if "legacy" in title.lower():
    document.add_meta_data({"productstatus": "on-hold"})
"""

on_hold_tagger = CoveoExtension(
    "on-hold-tagger",
    name="on-hold-tagger",
    content=SCRIPT,
    description="Tags on-hold products; disabled until the catalogue migration is over",
    enabled=config.get_bool("enabled") or False,
)

pulumi.export("extension_id", on_hold_tagger.extension_id)
pulumi.export("enabled", on_hold_tagger.enabled)
pulumi.export("status", on_hold_tagger.status)
