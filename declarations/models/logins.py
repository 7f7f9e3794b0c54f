"""What the login lockout keeps (declarations/logins.py): every wrong
password, the locks it led to, and the accounts that are slowed down. In the
database, because that is all the web processes share."""

from django.db import models

# Django's usernames are at most 150 characters; an address is an IPv4 or
# IPv6 address (at most 45), cut to this length if a proxy forwards junk.
USERNAME_LENGTH = 150
ADDRESS_LENGTH = 64


class LoginFailure(models.Model):
    """One wrong password: the name typed, the address it came from, when.
    Kept a day, for the administrators to see who guessed; the rules count
    only the last LOGIN_WINDOW_MINUTES."""

    username = models.CharField("用户名", max_length=USERNAME_LENGTH)
    address = models.CharField("地址", max_length=ADDRESS_LENGTH)
    at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["username", "at"]),
            models.Index(fields=["address", "at"]),
        ]

    def __str__(self):
        return f"{self.username} @ {self.address}"


class LoginLock(models.Model):
    """Logins refused until `until`: of one account from one address, or,
    with no username, of every account from the address."""

    username = models.CharField(
        "用户名", max_length=USERNAME_LENGTH, blank=True, help_text="空：整个地址"
    )
    address = models.CharField("地址", max_length=ADDRESS_LENGTH)
    until = models.DateTimeField("锁定到")
    failures = models.PositiveIntegerField("锁定时的失败次数")
    locked_at = models.DateTimeField("锁定时间")

    class Meta:
        verbose_name = "登录锁定"
        verbose_name_plural = "登录锁定"
        ordering = ["-locked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["username", "address"], name="one_login_lock_per_target"
            )
        ]

    def __str__(self):
        return f"{self.username or '（整个地址）'} @ {self.address}"


class AccountSlowdown(models.Model):
    """An account that wrong passwords came to from anywhere: never locked,
    but its next login is not tried before `retry_after`. Also when its
    owner and the administrators were last told."""

    username = models.CharField("用户名", max_length=USERNAME_LENGTH, unique=True)
    retry_after = models.DateTimeField("下次可试时间")
    notified_at = models.DateTimeField("最近通知时间", null=True, blank=True)

    class Meta:
        verbose_name = "账号放慢"
        verbose_name_plural = "账号放慢"
        ordering = ["-retry_after"]

    def __str__(self):
        return self.username
