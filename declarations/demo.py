"""Demo organizations and people: the three bureaus of the reference tables.

Loading is idempotent: records are looked up by their natural keys (code,
username) and only created or corrected, so a second run changes nothing.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from declarations.models import Membership, Organization, Role

DEMO_PASSWORD = "Demo@2026"


@dataclass(frozen=True)
class Bureau:
    department_code: str
    unit_code: str
    name: str
    account_prefix: str


BUREAUS = [
    # Code and name as printed above the Hebei tables: 450002秦皇岛市北戴河区医疗保障局.
    Bureau("450", "450002", "秦皇岛市北戴河区医疗保障局", "bdh"),
    Bureau("640502", "640502001", "中卫市沙坡头区医疗保障局", "spt"),
    Bureau("430424", "430424001", "衡东县医疗保障局", "hd"),
]


def _organization(code, **fields) -> Organization:
    org, _ = Organization.objects.update_or_create(code=code, defaults=fields)
    return org


def _user(username, full_name, *, superuser=False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": full_name,
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def load_people() -> dict[str, Organization]:
    """Create the departments, their units and one account per role."""
    _user("admin", "系统管理员", superuser=True)
    units = {}
    for bureau in BUREAUS:
        department = _organization(
            bureau.department_code,
            name=bureau.name,
            kind=Organization.Kind.DEPARTMENT,
            parent=None,
        )
        unit = _organization(
            bureau.unit_code,
            name=bureau.name,
            kind=Organization.Kind.UNIT,
            parent=department,
        )
        short = bureau.name.removesuffix("医疗保障局")
        preparer = _user(f"{bureau.account_prefix}_tb", f"{short}填报人")
        reviewer = _user(f"{bureau.account_prefix}_sh", f"{short}审核人")
        Membership.objects.get_or_create(
            user=preparer, organization=unit, role=Role.PREPARER
        )
        Membership.objects.get_or_create(
            user=reviewer, organization=department, role=Role.REVIEWER
        )
        units[bureau.unit_code] = unit
    return units
