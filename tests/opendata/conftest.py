from tests.procurement.conftest import _tasks_in_process  # noqa: F401  (autouse fixture)
