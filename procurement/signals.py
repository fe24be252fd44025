"""Signals other apps listen to, without procurement knowing them (higher apps, e.g. opendata)."""

from django.dispatch import Signal

# Sent on commit of the transaction that marked a contract signed; kwarg `contract`.
contract_signed = Signal()
