from django.dispatch import Signal

# Sent after an addendum is issued and its transaction commits: kwargs `addendum`.
# Higher apps (vendors) listen to ask for re-confirmation of submitted proposals.
addendum_issued = Signal()
