"""Tests of the Elastic extension resource (a package, so module names do not clash with other suites)."""
