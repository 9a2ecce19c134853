"""End-to-end tests: the real Pulumi CLI and engine against the emulator."""
