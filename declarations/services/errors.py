"""Every domain error. The message of each is for the user: clear Chinese
that says what to do."""

from django.utils import timezone

from declarations.models import Declaration, Status
from declarations.people import full_name


class DomainError(Exception):
    """A rule of the domain was broken; the message is for the user."""


class StaleVersion(DomainError):
    """Someone saved after the page was opened: nothing was written."""

    def __init__(self, current):
        self.current = current
        who = full_name(current.updated_by) if current.updated_by else "其他用户"
        when = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")
        super().__init__(
            f"保存未成功：这份内容已被{who or current.updated_by}于 {when} 修改"
            f"（现为第 {current.version} 版）。您填写的内容仍保留在本页，"
            "请先复制需要保留的内容，再打开最新版本重新修改。"
        )


class DuplicateDeclaration(DomainError):
    @classmethod
    def of_project(cls, unit, year, code) -> "DuplicateDeclaration":
        return cls(
            f"{unit.name} {year} 年已有项目编码为 {code} 的申报表，"
            "请在列表中打开它继续填写，或改用其他项目编码。"
        )

    @classmethod
    def of_copy(cls, source, year) -> "DuplicateDeclaration":
        return cls(
            f"“{source.project_name}”已复制到 {year} 年，"
            "请在列表中打开那份草稿继续填写。"
        )

    @classmethod
    def of_department_wide(cls, organization, year) -> "DuplicateDeclaration":
        return cls(
            f"{organization.name} {year} 年已有部门整体支出"
            "绩效目标申报表，请在列表中打开它继续填写。"
        )


def not_editable_message(declaration: Declaration) -> str:
    hint = {
        Status.SUBMITTED: "如需修改，请先在申报表页面“撤回”。",
        Status.APPROVED: "如需修改，请联系审核人“撤销审核”。",
    }.get(declaration.status, "")
    return f"这份申报表{declaration.get_status_display()}，不能修改。{hint}"


class NotEditable(DomainError):
    def __init__(self, declaration: Declaration):
        super().__init__(not_editable_message(declaration))


class UnknownLevel(DomainError):
    """A first or second level that the taxonomy does not hold."""


class NotAllowed(DomainError):
    """The actor's role does not allow the action (403)."""


class InvalidTransition(DomainError):
    """The declaration is not in a state that allows the action."""


class SubmissionBlocked(DomainError):
    def __init__(self, findings):
        self.findings = findings
        # Each message is a sentence of its own: joined, its full stop goes,
        # so that none reads “请核对后修改。；”.
        listed = "；".join(f.message.rstrip("。") for f in findings[:5])
        more = "……" if len(findings) > 5 else "。"
        super().__init__(
            f"还有 {len(findings)} 处错误，改正后才能提交审核：{listed}{more}"
        )


class ImportRefused(DomainError):
    """An import that may not be written; nothing of it was."""
