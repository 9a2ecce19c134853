"""`python -m pulumi_search_extensions.emulator`: same as `search-extensions-emulator`."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
