"""Coveo resources: the connection settings, the API client, CoveoExtension and its provider."""
