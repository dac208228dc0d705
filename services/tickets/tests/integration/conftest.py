"""Fixtures of the tickets service's integration tests."""

from portal_chassis.testing.dovecot import dovecot

__all__ = ["dovecot"]
