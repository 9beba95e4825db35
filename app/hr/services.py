"""HR's people services (`app.hr.people.services`), by their old name."""

from app.hr.people.services import (  # noqa: F401
    HRDataError,
    PersonData,
    create_person,
    get_person,
    list_people,
    set_active,
    update_person,
)
