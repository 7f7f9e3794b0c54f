"""A lockout that locks the attacker, not the account.

Wrong passwords are kept one row each (`LoginFailure`), in the database that
every web process shares, and the rules count those of the last
LOGIN_WINDOW_MINUTES (15):

- **An account from one address**: LOGIN_PAIR_LIMIT (10) wrong passwords lock
  that account from that address for LOGIN_LOCK_MINUTES (15). The account
  still logs in from every other address, and the address for every other
  account.
- **An address**: wrong passwords for LOGIN_ADDRESS_ACCOUNTS (5) accounts or
  more, and LOGIN_ADDRESS_LIMIT (100) in all, lock the address for every
  account for LOGIN_LOCK_MINUTES. An office behind one address is locked only
  by someone there guessing at many accounts, never by a forgotten password.
- **An account from anywhere** is never locked. From its LOGIN_SLOWDOWN_AFTER-th
  (5th) wrong password on, each one sets a retry-after that doubles, 1, 2, 4 …
  seconds, up to LOGIN_SLOWDOWN_MAX_SECONDS (60). A login before that time is
  answered at once with "请于 N 秒后再试": nothing sleeps in a web worker.

An attempt refused by a lock or a retry-after is refused before any password
is checked, so it tells a guesser nothing. It is not a wrong password: it is
not counted and does not move the retry-after. Counting it would let anyone
who keeps asking hold an account at the longest wait, and lock its pairs and
addresses, without guessing once; the owner would never get a turn.

A guesser asking from two addresses every moment could still take each turn
the moment it frees up. So a browser in which the account logged in before
(a signed cookie, `remember_browser`, kept KNOWN_BROWSER_DAYS) is not slowed
down, and the owner at their usual computer logs in during such an attack.
The locks of the pair and of the address still apply to it, and its wrong
passwords count like any other.

A correct password forgets the wrong ones of that account from that address
(a typo or two), no others: the owner logging in does not undo a slow-down
that guesses from elsewhere caused.

The owner of a slowed-down account and every active superuser are told, in
the bell and by mail where they have an address, once an hour at most per
account. Names that are no account are slowed down alike (the answer must
not tell which names exist) but nobody is told. An address lock is logged and
listed in the admin.

Every login door that calls Django's `authenticate()` with the request (our
login page, the admin's) is guarded by `LoginGuard`; our login page also says
why and until when (`declarations.views.general.LoginView`). An administrator
lifts locks with `unlock` (the admin's delete, `manage.py unlock_login`).
"""

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.dispatch import receiver
from django.utils import timezone

from declarations import notifications
from declarations.http import client_address
from declarations.models import AccountSlowdown, LoginFailure, LoginLock
from declarations.models.logins import ADDRESS_LENGTH, USERNAME_LENGTH

log = logging.getLogger(__name__)

# Failures are kept this long for the administrators; the rules look at the
# last LOGIN_WINDOW_MINUTES only.
KEEP_FAILURES = timedelta(days=1)
NOTICE_INTERVAL = timedelta(hours=1)
KNOWN_BROWSER_COOKIE = "known_logins"
KNOWN_BROWSER_DAYS = 180
# The accounts one browser remembers (a shared office computer).
KNOWN_BROWSER_ACCOUNTS = 10
_SALT = "declarations.logins.known"


class Kind:
    ADDRESS = "address"
    PAIR = "pair"
    SLOWDOWN = "slowdown"


@dataclass(frozen=True)
class Refusal:
    """Why a login is not tried, and until when."""

    kind: str
    username: str
    address: str
    until: datetime

    def seconds(self, now: datetime | None = None) -> int:
        left = (self.until - (now or timezone.now())).total_seconds()
        return max(1, math.ceil(left))


# Reading


def refusal(
    *, username: str, address: str, known: bool, now: datetime | None = None
) -> Refusal | None:
    """Whether a login of `username` from `address` is refused now: the
    address's lock first, then the pair's, then (unless the browser is known
    to the account) the account's retry-after."""
    now = now or timezone.now()
    username, address = username[:USERNAME_LENGTH], address[:ADDRESS_LENGTH]
    lock = (
        LoginLock.objects.filter(
            address=address, username__in=["", username], until__gt=now
        )
        .order_by("username")
        .first()
    )
    if lock:
        kind = Kind.PAIR if lock.username else Kind.ADDRESS
        return Refusal(kind, username, address, lock.until)
    if not known:
        slowed = AccountSlowdown.objects.filter(
            username=username, retry_after__gt=now
        ).first()
        if slowed:
            return Refusal(Kind.SLOWDOWN, username, address, slowed.retry_after)
    return None


# Writing


def record_failure(*, username: str, address: str, now: datetime | None = None) -> None:
    """Count one wrong password and apply the three rules to it."""
    now = now or timezone.now()
    username, address = username[:USERNAME_LENGTH], address[:ADDRESS_LENGTH]
    since = now - timedelta(minutes=settings.LOGIN_WINDOW_MINUTES)
    # Committed before counting: of two processes counting at once, the one
    # that counts last sees both failures (PostgreSQL reads what others
    # committed), so the count that reaches a limit is never lost.
    LoginFailure.objects.create(username=username, address=address, at=now)
    with transaction.atomic():
        # A write first, so that SQLite holds its write lock for the whole
        # count: a read first could not take it while another process writes
        # ("database is locked"). A delete of nothing is a write too.
        LoginFailure.objects.filter(at__lt=now - KEEP_FAILURES).delete()
        recent = LoginFailure.objects.filter(at__gte=since)

        pair = recent.filter(username=username, address=address).count()
        if pair >= settings.LOGIN_PAIR_LIMIT:
            _lock(username, address, pair, now)

        from_address = recent.filter(address=address).aggregate(
            failures=Count("pk"), accounts=Count("username", distinct=True)
        )
        if (
            from_address["failures"] >= settings.LOGIN_ADDRESS_LIMIT
            and from_address["accounts"] >= settings.LOGIN_ADDRESS_ACCOUNTS
        ):
            _lock("", address, from_address["failures"], now)
            log.warning(
                "Logins from %s locked: %d wrong passwords on %d accounts",
                address,
                from_address["failures"],
                from_address["accounts"],
            )

        account = recent.filter(username=username).aggregate(
            failures=Count("pk"), addresses=Count("address", distinct=True)
        )
        if account["failures"] >= settings.LOGIN_SLOWDOWN_AFTER:
            _slow_down(username, account["failures"], account["addresses"], now)


# How long a login that took its turn holds it: its password is checked
# meanwhile, and its failure (if it fails) sets the next wait.
TURN_SECONDS = 2


def take_turn(*, username: str, address: str) -> Refusal | None:
    """For a slowed-down account whose wait is over: of the logins that
    arrive together, one takes the turn (its password is checked); the
    others are refused as if the wait went on. Without it, N guesses sent
    at once all passed the same ended wait."""
    now = timezone.now()
    username = username[:USERNAME_LENGTH]
    slowed = AccountSlowdown.objects.filter(username=username)
    turn = now + timedelta(seconds=TURN_SECONDS)
    if not slowed.exists() or slowed.filter(retry_after__lte=now).update(
        retry_after=turn
    ):
        return None
    return Refusal(Kind.SLOWDOWN, username, address[:ADDRESS_LENGTH], turn)


def slowdown_seconds(failures: int) -> int:
    """The wait after the account's `failures`-th wrong password in the
    window: 1 s at LOGIN_SLOWDOWN_AFTER, doubling, at most the maximum."""
    steps = failures - settings.LOGIN_SLOWDOWN_AFTER
    cap = settings.LOGIN_SLOWDOWN_MAX_SECONDS
    return min(cap, 2 ** min(steps, cap.bit_length()))


def _lock(username: str, address: str, failures: int, now: datetime) -> None:
    LoginLock.objects.update_or_create(
        username=username,
        address=address,
        defaults={
            "until": now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES),
            "failures": failures,
            "locked_at": now,
        },
    )


def _slow_down(username: str, failures: int, addresses: int, now: datetime) -> None:
    slowed, _ = AccountSlowdown.objects.update_or_create(
        username=username,
        defaults={"retry_after": now + timedelta(seconds=slowdown_seconds(failures))},
    )
    # One process wins the update, so one notice goes out however many count.
    due = Q(notified_at__isnull=True) | Q(notified_at__lte=now - NOTICE_INTERVAL)
    if AccountSlowdown.objects.filter(due, pk=slowed.pk).update(notified_at=now):
        transaction.on_commit(
            lambda: notifications.login_failures(
                username=username, failures=failures, addresses=addresses
            )
        )


def forget_failures(*, username: str, address: str) -> None:
    """A correct password: the wrong ones of this account from this address
    are forgiven; those from elsewhere still count."""
    LoginFailure.objects.filter(
        username=username[:USERNAME_LENGTH], address=address[:ADDRESS_LENGTH]
    ).delete()
    # The turn this login took is given back, not held for TURN_SECONDS.
    now = timezone.now()
    AccountSlowdown.objects.filter(
        username=username[:USERNAME_LENGTH],
        retry_after__gt=now,
        retry_after__lte=now + timedelta(seconds=TURN_SECONDS),
    ).update(retry_after=now)


def unlock(*, username: str | None = None, address: str | None = None) -> int:
    """An administrator lifts the locks of an account (and its slow-down), of
    an address, of the pair of both, or of everything (neither given), and
    forgets their wrong passwords so that the counts start again; how many
    locks and slow-downs were lifted."""
    target = Q()
    if username is not None:
        target &= Q(username=username)
    if address is not None:
        target &= Q(address=address)
    with transaction.atomic():
        LoginFailure.objects.filter(target).delete()
        lifted = LoginLock.objects.filter(target).delete()[0]
        if address is None:  # a slow-down is the account's, from anywhere
            lifted += AccountSlowdown.objects.filter(target).delete()[0]
    return lifted


# The browsers an account logged in from


def known_browser(request, username: str) -> bool:
    """Whether this browser carries our signed cookie naming the account."""
    return username in _known_accounts(request)


def remember_browser(response, request, username: str) -> None:
    """After a login: the browser is known to the account from now on."""
    names = [username, *(n for n in _known_accounts(request) if n != username)]
    response.set_cookie(
        KNOWN_BROWSER_COOKIE,
        signing.dumps(names[:KNOWN_BROWSER_ACCOUNTS], salt=_SALT),
        max_age=KNOWN_BROWSER_DAYS * 86400,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _known_accounts(request) -> list[str]:
    try:
        names = signing.loads(
            request.COOKIES.get(KNOWN_BROWSER_COOKIE, ""),
            salt=_SALT,
            max_age=timedelta(days=KNOWN_BROWSER_DAYS),
        )
    except signing.BadSignature:
        return []
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


# The wiring into Django's authentication


def _address(request) -> str:
    return (client_address(request) or "")[:ADDRESS_LENGTH]


class LoginGuard:
    """First of AUTHENTICATION_BACKENDS. A refused login raises
    PermissionDenied, which stops Django's `authenticate()` before any
    backend checks the password; the refusal is left on the request for the
    login page to explain, and for `_count_failure` not to count."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return None
        known = known_browser(request, username)
        address = _address(request)
        found = refusal(username=username, address=address, known=known)
        if not found and not known:
            found = take_turn(username=username, address=address)
        if found:
            request.login_refusal = found
            raise PermissionDenied
        return None


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is None or getattr(request, "login_refusal", None):
        return
    record_failure(
        username=str(credentials.get("username", "")), address=_address(request)
    )


@receiver(user_logged_in)
def _forget_failures(sender, request, user, **kwargs):
    if request is not None:
        forget_failures(username=user.get_username(), address=_address(request))
