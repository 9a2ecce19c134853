# Coveo indexing pipeline extension: normalize the title and tag the document's source system.
# ruff: noqa: F821 - `document`, `log` and `parameters` are globals Coveo provides at run time.
title = document.get_meta_data_value("title")
if title:
    clean = " ".join(title[0].split()).strip()
    document.add_meta_data({"normalizedtitle": clean})
    log("normalized title: " + clean, "Normal")
document.add_meta_data({"sourcesystem": parameters.get("system", "pulumi-demo")})
