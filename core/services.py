"""Writes to the shared pieces: users, memberships, organisations, attachments."""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import unicodedata
import zipfile
from typing import BinaryIO

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from . import policy
from .audit import audit_record, diff, snapshot
from .models import Attachment, Membership, Organization, Role, User
from .selectors import ATTACHMENT_KINDS

log = logging.getLogger(__name__)

ORGANIZATION_FIELDS = ("name", "short_name", "kind", "parent", "complaint_phone",
                       "complaint_mailbox", "is_active")
USER_FIELDS = ("username", "real_name", "phone", "certificate_no", "email", "is_active",
               "is_staff")


def organization_save(*, actor, organization: Organization) -> Organization:
    """Create or change an organisation (admin), with its audit event."""
    before = {}
    if organization.pk:
        before = snapshot(Organization.objects.get(pk=organization.pk), ORGANIZATION_FIELDS)
    organization.full_clean()
    with transaction.atomic():
        organization.save()
        audit_record(actor=actor, verb="update" if before else "create", target=organization,
                     changes=diff(before, snapshot(organization, ORGANIZATION_FIELDS)))
    return organization


def user_save(*, actor, user: User, password: str | None = None) -> User:
    before = {}
    if user.pk:
        before = snapshot(User.objects.get(pk=user.pk), USER_FIELDS)
    if password is not None:
        user.set_password(password)
    with transaction.atomic():
        user.save()
        changes = diff(before, snapshot(user, USER_FIELDS))
        if password is not None:
            changes["password"] = ["***", "***"]  # that it changed, never the value
        audit_record(actor=actor, verb="update" if before else "create", target=user,
                     changes=changes)
    return user


# --- passwords and API tokens ------------------------------------------------------------

def _may_manage(actor, user: User) -> bool:
    return getattr(actor, "pk", None) == user.pk or getattr(actor, "is_superuser", False) \
        or policy.has_capability(actor, "admin.manage")


def user_password_set(*, actor, user: User, password: str | None) -> User:
    """A user changes their own password, or an administrator sets one (``None``: password
    sign-in disabled). Every API token of the user is revoked with it: a token must not
    outlive the password it was obtained with (issue 16 item 8). The event records that
    the password changed, never a value."""
    if not _may_manage(actor, user):
        raise PermissionDenied("只有本人或系统管理员可以修改密码。")
    from rest_framework.authtoken.models import Token

    by_self = actor.pk == user.pk
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    # A password an administrator chose is known to two people: the user replaces it.
    user.password_change_required = not by_self and password is not None
    with transaction.atomic():
        user.save(update_fields=["password", "password_change_required"])
        revoked, _ = Token.objects.filter(user=user).delete()
        audit_record(actor=actor, verb="user.password_change" if by_self else "user.password_reset",
                     target=user, changes={"password": ["***", "***" if password else None]},
                     note=("本人修改密码" if by_self else "系统管理员重设密码")
                     + (f"，已注销其接口令牌 {revoked} 个" if revoked else ""))
    return user


def api_token_issue(*, actor: User):
    """A new API token for the signed-in ``actor``; an earlier one stops working."""
    from rest_framework.authtoken.models import Token

    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied("请先登录。")
    with transaction.atomic():
        Token.objects.filter(user=actor).delete()
        token = Token.objects.create(user=actor)
        audit_record(actor=actor, verb="login.token", target=actor,
                     note="生成接口令牌（此前的令牌随即失效）")
    return token


def api_token_revoke(*, actor: User, user: User | None = None) -> int:
    """Revoke the API token of ``user`` (the actor's own by default); how many were."""
    from rest_framework.authtoken.models import Token

    user = user or actor
    if not _may_manage(actor, user):
        raise PermissionDenied("只有本人或系统管理员可以注销接口令牌。")
    with transaction.atomic():
        revoked, _ = Token.objects.filter(user=user).delete()
        if revoked:
            audit_record(actor=actor, verb="login.token_revoke", target=user,
                         note="注销接口令牌")
    return revoked


# --- the second factor (core.twofactor) ---------------------------------------------------

def _new_recovery_codes(user: User) -> list[str]:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from .twofactor import RECOVERY_CODES

    device, _ = StaticDevice.objects.get_or_create(user=user, name="恢复码",
                                                   defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def otp_enable(*, actor: User, hex_key: str, code: str) -> list[str]:
    """Confirm the actor's authenticator app (the key shown at set-up, and a code it now
    shows) and return ten new recovery codes, shown once. The event never holds either."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录。")
    device = TOTPDevice(user=actor, key=hex_key, name="验证器", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    code = str(code).strip()
    if not code.isdigit() or not totp.verify(int(code), tolerance=1):
        raise ValidationError({"code": "动态口令不正确，请核对手机验证器上当前显示的 6 位数字。"})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        device.save()
        codes = _new_recovery_codes(actor)
        audit_record(actor=actor, verb="otp.enable", target=actor,
                     note="启用动态口令（手机验证器），生成恢复码")
    return codes


def otp_recovery_codes_reset(*, actor: User) -> list[str]:
    """Ten new recovery codes for the actor; the earlier ones stop working."""
    from .twofactor import has_totp

    if not has_totp(actor):
        raise ValidationError("请先启用动态口令。")
    with transaction.atomic():
        codes = _new_recovery_codes(actor)
        audit_record(actor=actor, verb="otp.recovery_reset", target=actor,
                     note="重新生成恢复码，原恢复码作废")
    return codes


def otp_verify(*, user: User, code: str):
    """The device that accepts ``code`` (the app's TOTP, or a recovery code, used up), or
    None. Using a recovery code is recorded: the user has one fewer."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    code = str(code or "").strip().replace(" ", "")
    if not code:
        return None
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if totp is not None and code.isdigit() and totp.verify_is_allowed()[0] \
            and totp.verify_token(code):
        return totp
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if static is not None:
        with transaction.atomic():
            if static.verify_token(code):
                audit_record(actor=user, verb="otp.recovery_used", target=user,
                             note=f"以恢复码登录，剩余 {static.token_set.count()} 个")
                return static
    return None


def otp_disable(*, actor: User, user: User) -> None:
    """An administrator removes a user's second factor (a lost phone); the user sets it
    up again at the next sign-in if it is required of them."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not (getattr(actor, "is_superuser", False) or policy.has_capability(actor, "admin.manage")):
        raise PermissionDenied("只有系统管理员可以停用他人的动态口令。")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(actor=actor, verb="otp.disable", target=user, note="停用动态口令及恢复码")


# --- the audit trail's hash chain (core.audit_chain) ---------------------------------------

def audit_chain_check() -> list[str]:
    """Seal what is committed, verify the whole chain (nightly by beat); on a break,
    record it and notify every administrator. The breaks found, as sentences."""
    from deadlines.notifications import notification_send

    from . import audit_chain

    audit_chain.seal()
    breaks = [str(b) for b in audit_chain.verify()]
    if breaks:
        log.error("audit chain broken: %s", "; ".join(breaks))
        admins = User.objects.filter(is_active=True).filter(
            models.Q(is_superuser=True) | models.Q(memberships__role=Role.SYSTEM_ADMIN)).distinct()
        with transaction.atomic():
            audit_record(actor=None, verb="audit.chain_break", changes={"breaks": [None, breaks]},
                         note=f"审计记录哈希链校验发现 {len(breaks)} 处异常")
            notification_send(
                recipients=admins, subject=f"审计记录完整性校验发现 {len(breaks)} 处异常",
                body="\n".join(breaks[:50]) + "\n请立即核查数据库访问记录，并运行 manage.py audit_verify 复核。")
    return breaks


def membership_add(*, actor, user: User, organization: Organization, role: str) -> Membership:
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organization=organization, role=role
        )
        if created:
            audit_record(actor=actor, verb="create", target=membership,
                         organization=organization,
                         changes={"role": [None, membership.get_role_display()]})
    policy.forget(user)
    return membership


def membership_remove(*, actor, membership: Membership) -> None:
    with transaction.atomic():
        audit_record(actor=actor, verb="delete", target=membership,
                     organization=membership.organization,
                     changes={"role": [membership.get_role_display(), None]})
        membership.delete()
    policy.forget(membership.user)


# --- attachments ---------------------------------------------------------------------
# What the bureau files: PDF, images, Office/WPS documents, audio and video. The type is
# read from the bytes; the name a user gave is only shown, never used in a path.
ALLOWED_MIME_PREFIXES = ("image/", "audio/", "video/")
ALLOWED_MIME_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/x-ole-storage",
}
# Word/Excel/PowerPoint 97–2003 and WPS (.wps/.et/.dps) share the OLE2 container.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE2_EXTENSIONS = {".doc", ".xls", ".ppt", ".wps", ".et", ".dps"}
# Control characters, and the invisible format characters — the bidi overrides that
# show "报告‮fdp.exe" as "报告exe.pdf", zero-width spaces — and line separators.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}

# What a file's name may say it is, for each type read from its bytes: a name that says one
# thing and bytes another (a GIF/HTML polyglot named .html, a .docx that is a PDF) is
# refused. Images, audio and video are one family each: a phone's .jpg that is a PNG passes.
_FAMILY_EXTENSIONS = {
    "image/": {".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff",
               ".heic", ".heif"},
    "audio/": {".mp3", ".wav", ".m4a", ".aac", ".amr", ".ogg", ".oga", ".flac", ".wma", ".mid"},
    "video/": {".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".3gp", ".wmv", ".flv", ".mpg",
               ".mpeg"},
}
_EXTENSIONS = {
    "application/pdf": {".pdf"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
    "application/vnd.oasis.opendocument.text": {".odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {".ods"},
    "application/vnd.oasis.opendocument.presentation": {".odp"},
    "application/x-ole-storage": OLE2_EXTENSIONS,
}
# Office documents are zip archives: their declared unpacked size and entry count are
# checked, so a zip bomb named .docx is refused before anything opens it.
_ZIP_TYPES = {m for m in _EXTENSIONS if "openxmlformats" in m or "opendocument" in m}
ZIP_MAX_ENTRIES = 5000


def _check_name(name: str) -> str:
    if not name or not name.strip():
        raise ValidationError("文件名为空，请重新选择文件。")
    if "/" in name or "\\" in name or name.strip() in {".", ".."} or any(
            unicodedata.category(ch) in _UNSAFE_CATEGORIES for ch in name):
        raise ValidationError("文件名含有路径、控制字符或不可见的格式字符，不能上传。请改名后重试。")
    if len(name) > 255:
        raise ValidationError("文件名过长（最多 255 个字符），请改名后重试。")
    return name.strip()


def _extension_of(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name.strip(".") else ""


def _sniff(head: bytes, name: str) -> tuple[str, str]:
    """(content type, extension) read from the first bytes of the file."""
    if head.startswith(OLE2_MAGIC):
        ext = _extension_of(name)
        return "application/x-ole-storage", ext if ext in OLE2_EXTENSIONS else ".doc"
    kind = filetype.guess(head)
    if kind is None:
        raise ValidationError(
            "无法识别的文件类型。允许上传：PDF、图片、Word/Excel/WPS 等办公文档、音频、视频。"
        )
    mime = kind.mime
    if mime not in ALLOWED_MIME_TYPES and not mime.startswith(ALLOWED_MIME_PREFIXES):
        raise ValidationError(
            f"不允许上传此类文件（{mime}）。允许上传：PDF、图片、Word/Excel/WPS 等办公文档、音频、视频。"
        )
    return mime, "." + kind.extension


def _check_extension(name: str, mime: str, sniffed: str) -> None:
    allowed = _EXTENSIONS.get(mime) or next(
        (exts for prefix, exts in _FAMILY_EXTENSIONS.items() if mime.startswith(prefix)), set())
    given = _extension_of(name)
    if given not in allowed | {sniffed}:
        shown = f"扩展名“{given}”" if given else "没有扩展名"
        raise ValidationError(
            f"文件“{name}”{shown}，与文件的实际类型（{sniffed}）不符，不能上传。"
            "请确认文件无误，改用正确的扩展名后重试。")


def _check_archive(fileobj: BinaryIO, name: str) -> None:
    limit = settings.ATTACHMENT_MAX_UNPACKED_BYTES
    try:
        with zipfile.ZipFile(fileobj) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(f"文件“{name}”已损坏，无法作为办公文档打开。") from None
    finally:
        fileobj.seek(0)
    if len(entries) > ZIP_MAX_ENTRIES or sum(e.file_size for e in entries) > limit:
        raise ValidationError(
            f"文件“{name}”解压后超过 {filesizeformat(limit)}，不是正常的办公文档，不能上传。")


def attachment_validate(*, fileobj: BinaryIO, name: str, size: int) -> tuple[str, str, str]:
    """Check an upload before anything is stored: (clean name, content type, extension)."""
    name = _check_name(name)
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            f"文件“{name}”大小为 {filesizeformat(size)}，超过 {filesizeformat(limit)} 的上限。"
        )
    if size == 0:
        raise ValidationError(f"文件“{name}”是空文件。")
    fileobj.seek(0)
    head = fileobj.read(8192)
    fileobj.seek(0)
    content_type, extension = _sniff(head, name)
    _check_extension(name, content_type, extension)
    if content_type in _ZIP_TYPES:
        _check_archive(fileobj, name)
    return name, content_type, extension


def attachment_store(
    *,
    actor,
    organization: Organization,
    fileobj: BinaryIO,
    name: str,
    size: int,
    target: models.Model | None = None,
    description: str = "",
) -> Attachment:
    """Validate and store one file. A rejected file raises ValidationError and stores nothing."""
    if not policy.viewer(actor).org_ids or organization.pk not in policy.viewer(actor).org_ids:
        raise ValidationError("只能以本单位名义上传附件。")
    name, content_type, extension = attachment_validate(fileobj=fileobj, name=name, size=size)
    digest = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    attachment = Attachment(
        original_name=name, sha256=digest.hexdigest(), size=size, content_type=content_type,
        extension=extension, uploaded_by=actor, organization=organization,
        created_at=timezone.now(), description=description,
    )
    if target is not None:
        attachment.target = target
        ATTACHMENT_KINDS.note(attachment.target_type_id)
    with transaction.atomic():
        attachment.file.save("upload", File(fileobj), save=False)
        try:
            attachment.save()
            audit_record(actor=actor, verb="attachment.upload", target=attachment,
                         organization=organization,
                         changes={"sha256": [None, attachment.sha256], "size": [None, size]},
                         note=name)
        except Exception:
            attachment.file.delete(save=False)  # never leave a file without its row
            raise
    return attachment


# --- files no row names ----------------------------------------------------------------

ORPHAN_GRACE = dt.timedelta(days=1)


def orphan_files_prune(field: models.FileField, folder: str, *,
                       now: dt.datetime | None = None) -> list[str]:
    """Delete the files under ``folder`` that no row of ``field``'s model names, once they
    are ORPHAN_GRACE old; return their names.

    Attachments and documents write their file inside the transaction that stores the
    row; when that transaction rolls back later (the operation around it fails), the row
    goes but the file stays — Django has no hook on rollback. Neither row is ever
    deleted, so a file no row names is such a leftover; the grace leaves alone a file
    whose transaction has not committed yet."""
    storage, model = field.storage, field.model
    cutoff = (now or timezone.now()) - ORPHAN_GRACE
    deleted: list[str] = []

    def walk(path: str) -> None:
        folders, files = storage.listdir(path)
        if files:  # the rows of one folder at a time: the names read stay few
            named = set(model.objects.filter(**{f"{field.name}__startswith": f"{path}/"})
                        .values_list(field.name, flat=True))
            for name in files:
                full = f"{path}/{name}"
                if full not in named and storage.get_modified_time(full) < cutoff:
                    storage.delete(full)
                    deleted.append(full)
        for sub_folder in folders:
            walk(f"{path}/{sub_folder}")

    if storage.exists(folder):
        walk(folder)
    if deleted:  # by the system (beat): no actor; the names stay in the audit trail
        log.warning("removed %d files under %s/ that no row names", len(deleted), folder)
        audit_record(actor=None, verb="files.prune", changes={"files": [deleted, None]},
                     note=f"{folder}/ 下 {len(deleted)} 个文件无对应记录（其事务已回滚），已删除。")
    return deleted


def attachment_orphans_prune(*, now: dt.datetime | None = None) -> list[str]:
    """``orphan_files_prune`` for attachments (daily by beat)."""
    return orphan_files_prune(Attachment._meta.get_field("file"), "attachments", now=now)
