"""The emulator against the vendor specs, as a real server process."""
