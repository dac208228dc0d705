"""Alembic environment shared by every service (each keeps only its `versions/`)."""

from portal_chassis.migrations import run_env

run_env()
