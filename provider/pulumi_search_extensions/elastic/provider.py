"""Where `ElasticExtensionProvider` lived until it moved to `extension_provider/provider.py`; kept forever.

dill pickles the provider into every `ElasticExtension`'s Pulumi state by reference to this module path, so
stacks deployed by earlier releases refresh and destroy only while this import keeps working.
"""

from .extension_provider.provider import ElasticExtensionProvider

__all__ = ["ElasticExtensionProvider"]
