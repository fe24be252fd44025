from django.dispatch import Signal

# Sent after a contract is signed and its transaction commits: kwargs `contract`.
# Higher apps (opendata) listen to publish it.
contract_signed = Signal()
