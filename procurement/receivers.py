from django.dispatch import receiver
from django_fsm.signals import post_transition

from .audit import audit_append

# Arguments a transition takes that describe who and why, not what to record as metadata.
_NOT_METADATA = {"by", "reason"}


@receiver(post_transition, dispatch_uid="procurement_audit_transition")
def audit_transition(sender, instance, name, source, target, **kwargs):
    method_kwargs = kwargs.get("method_kwargs") or {}
    metadata = {k: v for k, v in method_kwargs.items() if k not in _NOT_METADATA}
    # Rows that belong to a challenge carry it, so the challenge's history shows them too.
    if getattr(instance, "challenge_id", None):
        metadata["challenge_id"] = instance.challenge_id
    audit_append(
        obj=instance,
        transition=name,
        source=source,
        target=target,
        actor=method_kwargs.get("by"),
        reason=method_kwargs.get("reason", ""),
        metadata=metadata,
    )
