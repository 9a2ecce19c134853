"""The provider of `ElasticExtension`: `provider.py` and one module per operation (check, diff, create, read,
update, delete), with the resource's fields (`schema.py`), its error reading (`errors.py`) and the file upload."""
