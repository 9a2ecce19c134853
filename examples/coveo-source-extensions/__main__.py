"""Two Coveo extensions applied, in order, to one source's indexing pipeline.

An extension does nothing until a source runs it. `CoveoSourceExtensions` declares which extensions the
source runs, in which order and on which items: it owns the source's whole extension map. Because its
`extension_id` inputs come from the extensions' outputs, Pulumi wires the source after creating them, and
`pulumi destroy` unwires the source before deleting them (an extension a source still runs cannot be deleted).

Stack config of this project:

| key        | what                                                                     |
|------------|--------------------------------------------------------------------------|
| `sourceId` | the id of the source to apply the extensions to (console: Sources page)  |
| `rebuild`  | optional, `true` to rebuild the source after each change of its map      |
| `defaultLanguage` | optional, the language given to items that have none (default `en`) |
"""

from pathlib import Path

import pulumi

from pulumi_search_extensions import CoveoExtension, CoveoSourceExtensions

ASSETS = Path(__file__).resolve().parent.parent / "assets"
config = pulumi.Config()

normalize_title = CoveoExtension(
    "normalize-title",
    name="normalize-title",
    content=(ASSETS / "normalize_title.py").read_text(encoding="utf-8"),
    description="Normalizes the title and records the source system",
)

default_language = CoveoExtension(
    "default-language",
    name="default-language",
    content=(
        "# Gives items without a language the one passed as a parameter.\n"
        "document.add_meta_data({'language': parameters.get('language', 'en')})\n"
    ),
    description="Tags items that have no language",
)

web_pages = CoveoSourceExtensions(
    "web-pages",
    source_id=config.require("sourceId"),
    # Run in this order, after conversion: normalize titles first, then fill in missing languages.
    post_conversion=[
        {
            "extension_id": normalize_title.extension_id,
            "condition": "%[title]",
            "parameters": {"system": "web"},
        },
        {
            "extension_id": default_language.extension_id,
            "condition": "NOT %[language] OR %[language] == ''",
            "parameters": {"language": config.get("defaultLanguage") or "en"},
            "action_on_error": "SKIP_EXTENSION",
        },
    ],
    rebuild=config.get_bool("rebuild") or False,
)

pulumi.export("normalize_title_id", normalize_title.extension_id)
pulumi.export("default_language_id", default_language.extension_id)
pulumi.export("post_conversion", web_pages.post_conversion)
