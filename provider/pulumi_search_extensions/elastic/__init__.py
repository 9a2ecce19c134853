"""Elastic resources: the connection settings, the API client, ElasticExtension and its provider.

Nothing is imported here, so the client can be used without loading the Pulumi SDK; the public names
are re-exported by the package root (`from pulumi_search_extensions import ElasticExtension`).
"""
