"""Password rules for a government office, with messages in Chinese.

Django's own validators check the similarity to the user's name,
its list of 20,000 common passwords and all-digit passwords. Two rules are
added, as the classified-protection practice of Chinese offices (等保) asks
and as the passwords seen in offices call for: at least three kinds of
character, and no common word (a pinyin phrase, an office word, a keyboard
row) dressed up with a year or a symbol, such as ``Caizheng@2026``.
"""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with its message in Chinese: Django 5.2 changed the
    message's wording and its Chinese translation no longer matches, so a
    short password was refused in English."""

    def get_error_message(self):
        return f"密码长度太短。密码必须包含至少 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少 {self.min_length} 个字符。"


_KINDS = {
    "大写字母": re.compile(r"[A-Z]"),
    "小写字母": re.compile(r"[a-z]"),
    "数字": re.compile(r"[0-9]"),
    "符号": re.compile(r"[^A-Za-z0-9]"),
}


class CharacterKindsValidator:
    def __init__(self, kinds: int = 3):
        self.kinds = kinds

    def validate(self, password, user=None):
        present = [name for name, pattern in _KINDS.items() if pattern.search(password)]
        if len(present) < self.kinds:
            raise ValidationError(
                self._rule() + f"这个密码只有{'、'.join(present) or '一种字符'}。",
                code="password_too_few_kinds",
            )

    def _rule(self):
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.kinds} 种。"

    def get_help_text(self):
        return self._rule()


# Words an office's passwords are commonly made of, in lower case.
_COMMON_WORDS = {
    # Pinyin phrases and numbers with a meaning.
    "woaini", "aini", "5201314", "1314520", "520520", "woaini1314",
    "zhongguo", "beijing", "nihao", "wodemima", "mima",
    # Office words.
    "caizheng", "caiwu", "yusuan", "jixiao", "zhengfu", "bangong",
    "bangongshi", "kuaiji", "shenhe", "tianbao", "danwei", "bumen",
    "admin", "administrator", "root", "user", "test", "guest", "welcome",
    "password", "passw0rd", "p@ssw0rd", "p@ssword", "pass", "qwerty",
    # Keyboard rows and walks.
    "qwertyuiop", "asdfghjkl", "zxcvbnm", "qazwsx", "1qaz2wsx", "1q2w3e4r",
    "1q2w3e", "qweasd", "asdf", "zxcv", "abc", "abcd", "abcdef", "abcdefg",
    "a1b2c3", "123qwe", "qwe123", "abc123",
}  # fmt: skip
# What is added to a word to pass the other rules: digits, symbols, a year.
_LEADING = re.compile(r"^[\d\W_]+")
_TRAILING = re.compile(r"[\d\W_]+$")


class CommonWordValidator:
    def validate(self, password, user=None):
        lower = password.lower()
        # The word alone, or with its dressing taken off one end or both.
        front, back = _LEADING.sub("", lower), _TRAILING.sub("", lower)
        cores = {lower, front, back, _TRAILING.sub("", front)}
        if cores & _COMMON_WORDS:
            raise ValidationError(
                "这个密码由常见的词加上数字或符号组成，容易被猜到。"
                "请换一个与单位、姓名、年份和键盘顺序无关的密码。",
                code="password_common_word",
            )

    def get_help_text(self):
        return "密码不能是常见的词（如 caizheng、woaini、qwerty）加上年份或符号。"
