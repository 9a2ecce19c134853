"""The Elastic extension provider's operations, one module each (check, diff, create, read, update, delete)."""
