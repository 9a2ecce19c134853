"""Soak test: many resources through the real CLI against an emulator that injects faults."""
