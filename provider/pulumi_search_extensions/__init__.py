"""Pulumi resources for Coveo indexing pipeline extensions and Elastic Cloud custom extensions."""
