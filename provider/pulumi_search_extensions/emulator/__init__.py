"""An offline emulator of the Coveo Extension API and the Elastic Cloud extensions API.

`run_emulator()` starts it as a child process on a free port and yields an `EmulatorHandle`;
`search-extensions-emulator` (or `python -m pulumi_search_extensions.emulator`) runs it in the
foreground. Importing this package stays cheap: the server side (Starlette, uvicorn) is only
imported by the process that serves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .process import EmulatorAdmin, EmulatorHandle, run_emulator

__all__ = [
    "DEFAULT_COVEO_ORGANIZATIONS",
    "DEFAULT_ELASTIC_API_KEY",
    "DEFAULT_ELASTIC_PASSWORD",
    "DEFAULT_ELASTIC_USERNAME",
    "EmulatorAdmin",
    "EmulatorHandle",
    "run_emulator",
]

# The default credentials (docs/ARCHITECTURE.md); every one can be changed on the command line.
DEFAULT_COVEO_ORGANIZATIONS: dict[str, str] = {
    "searchdemoorg": "xx-emulator-demo-coveo-key",
    "searchotherorg": "xx-emulator-other-coveo-key",
}
DEFAULT_ELASTIC_API_KEY = "emulator-demo-elastic-key"
DEFAULT_ELASTIC_USERNAME = "admin"
DEFAULT_ELASTIC_PASSWORD = "emulator-password"
DEFAULT_ELASTIC_UPLOAD_LIMIT_MB = 20  # the upload limit of most Elastic Cloud subscriptions
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080

_LAZY_EXPORTS = {"EmulatorAdmin", "EmulatorHandle", "run_emulator"}


def __getattr__(name: str) -> Any:
    if name in _LAZY_EXPORTS:
        from . import process

        return getattr(process, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
