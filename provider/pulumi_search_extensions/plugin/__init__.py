"""The three resources served as a Pulumi provider plugin, `search-extensions`, for every Pulumi language.

The same operations as the dynamic resources (`<vendor>/<resource>_provider/`), behind the engine's provider
protocol instead of the dynamic provider host: `pulumi-resource-search-extensions` starts it (see
`server.main`), `schema.package_schema()` describes it, generated from the typed property models.
"""
