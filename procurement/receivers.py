from django.apps import apps
from django.db.models.signals import post_save


def _keep_schedule(sender, instance, raw=False, **kwargs):
    """After any save of a row with timed steps or reminder audiences: its next due time and its
    planned reminders follow its deadlines and state, in the same transaction."""
    if raw:
        return
    from .chronograph import chronograph_reschedule, schedule_deferred_for, scheduled_models
    from .services.reminders import reminders_replan_for

    if schedule_deferred_for(instance):
        return  # a batch of scheduled steps is running: it does both when it ends
    if sender in scheduled_models():
        chronograph_reschedule(instance)
    reminders_replan_for(instance)


def connect_schedule_receivers() -> None:
    """Listen to saves of every model the chronograph or a reminder audience depends on."""
    from .audiences import all_audiences
    from .chronograph import scheduled_models

    models = set(scheduled_models())
    for audience in all_audiences():
        models.update(apps.get_model(label) for label in audience.triggers)
    for model in models:
        post_save.connect(
            _keep_schedule, sender=model, dispatch_uid=f"procurement_schedule_{model._meta.label}"
        )
