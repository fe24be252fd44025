from django.conf import settings
from django.utils import timezone

from . import roles


def municipality(request):
    names = roles.group_names(request.user) if hasattr(request, "user") else frozenset()
    return {
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        "MUNICIPALITY_TIME_ZONE": timezone.get_default_timezone_name(),
        "user_roles": names,
        "user_is_staff_member": roles.STAFF in names,
    }
