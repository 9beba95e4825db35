"""Company names are unique (whatever the letter case) when a company is added or renamed."""

import pytest

from app.admin import services
from app.admin.services import CompanyDataError
from app.models import Role


@pytest.fixture
def admin(make_company, make_user):
    return make_user("admin@zone.example", make_company("zone", kind="zone"), {Role.ADMIN})


def test_a_new_company_gets_a_clean_name_not_taken(admin, make_company):
    make_company("alpha", name="Альфа")
    company = services.create_company(admin, "  Бета   Групп ")
    assert company.name == "Бета Групп"
    with pytest.raises(CompanyDataError) as taken:
        services.create_company(admin, "альфа")
    assert taken.value.field == "name"
    with pytest.raises(CompanyDataError):
        services.create_company(admin, "   ")


def test_a_rename_refuses_another_companys_name_but_keeps_its_own(admin, make_company):
    alpha = make_company("alpha", name="Альфа")
    make_company("beta", name="Бета")
    services.rename_company(admin, alpha, "АЛЬФА")
    assert alpha.name == "АЛЬФА"
    services.rename_company(admin, alpha, "АЛЬФА")
    with pytest.raises(CompanyDataError):
        services.rename_company(admin, alpha, "бета")
    assert alpha.name == "АЛЬФА"
