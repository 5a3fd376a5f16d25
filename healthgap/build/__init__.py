"""Turning the publishers' files into the DuckDB database (see schema.sql for the contract)."""
