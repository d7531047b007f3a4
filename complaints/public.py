"""The public portal's complaint pages (`/public/complaints/`, no sign-in; issue 17 item 6):
every unit's channels (M3.1), the online form — attachments, a captcha this server draws
(Pillow, no outside service), a limit per client address — answering with a 查询码, and
the status page showing, for a 查询码 and the phone number given with it, the status and
the reply and nothing else. Both forms are POSTs under Django's CSRF protection."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import random
import secrets

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from core.forms import BootstrapFormMixin, apply_errors
from core.login import client_ip
from core.models import Organization, OrgKind
from portal.views import portal_context

from . import selectors, services
from .forms import MultipleFileField, uploads
from .models import (PUBLIC_STATUS, Complaint, ComplaintKind, ComplaintStatus, PortalAttempt)

CAPTCHA_KEY = "complaints_captcha"
CAPTCHA_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
MAX_FILES = 5
WINDOW = dt.timedelta(hours=1)


# --- the captcha ----------------------------------------------------------------------
def captcha_new(request) -> str:
    code = "".join(secrets.choice(CAPTCHA_ALPHABET) for _ in range(5))
    request.session[CAPTCHA_KEY] = code
    return code


def captcha_check(request, answer: str) -> bool:
    """One try per drawn code: the code is dropped whatever the answer."""
    expected = request.session.pop(CAPTCHA_KEY, None)
    return bool(expected) and hmac.compare_digest(expected, (answer or "").strip().upper())


def captcha_png(code: str) -> bytes:
    """The code drawn with Pillow: each character turned a little and offset, over noise
    lines and dots — legible to a person, not to a plain OCR pass."""
    from PIL import Image, ImageDraw, ImageFont

    rng = random.SystemRandom()
    width, height = 160, 56
    image = Image.new("RGB", (width, height), (246, 248, 250))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        draw.line([(rng.randint(0, width), rng.randint(0, height)),
                   (rng.randint(0, width), rng.randint(0, height))],
                  fill=(rng.randint(120, 200),) * 3, width=1)
    font = ImageFont.load_default(size=34)
    for i, char in enumerate(code):
        glyph = Image.new("RGBA", (40, 50), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((6, 4), char, font=font,
                                   fill=(rng.randint(10, 90), rng.randint(20, 90), rng.randint(60, 140)))
        glyph = glyph.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC, expand=False)
        image.paste(glyph, (8 + i * 29 + rng.randint(-3, 3), rng.randint(-2, 6)), glyph)
    for _ in range(120):
        draw.point((rng.randint(0, width - 1), rng.randint(0, height - 1)),
                   fill=(rng.randint(90, 200),) * 3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@never_cache
@require_safe
def captcha(request):
    response = HttpResponse(captcha_png(captcha_new(request)), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the limit per client address -----------------------------------------------------
def _address_key(request) -> str:
    """The client address as a keyed hash: the limit needs to tell addresses apart, not
    to keep them."""
    address = client_ip(request) or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _over_limit(request, action: str, limit: int) -> bool:
    """Record this use and say whether the address has used ``action`` more than
    ``limit`` times within the hour."""
    now = timezone.now()
    key = _address_key(request)
    PortalAttempt.objects.filter(at__lt=now - 2 * WINDOW).delete()
    used = PortalAttempt.objects.filter(action=action, address=key, at__gte=now - WINDOW).count()
    if used >= limit:
        return True
    PortalAttempt.objects.create(action=action, address=key)
    return False


# --- the forms ------------------------------------------------------------------------
def _public_units():
    return Organization.objects.filter(
        kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP, OrgKind.JUSTICE_BUREAU],
        is_active=True).order_by("kind", "name")


class PublicComplaintForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label="向哪个单位投诉举报", queryset=Organization.objects.none(),
                                  help_text="对行政执法部门或其执法人员的投诉举报，也可以直接向区司法局提出。",
                                  error_messages={"required": "请选择受理单位。",
                                                  "invalid_choice": "请选择列表中的受理单位。"})
    kind = forms.ChoiceField(label="类别", choices=ComplaintKind.choices,
                             initial=ComplaintKind.COMPLAINT,
                             error_messages={"required": "请选择投诉或举报。"})
    subject_org = forms.ModelChoiceField(label="被投诉举报的单位", required=False,
                                         queryset=Organization.objects.none())
    subject_officer_name = forms.CharField(label="被投诉举报的执法人员", max_length=100, required=False,
                                           help_text="知道姓名或执法证号的可以填写。")
    matter = forms.CharField(label="投诉举报事项", max_length=5000, min_length=10,
                             widget=forms.Textarea(attrs={"rows": 6}),
                             help_text="时间、地点、经过和您的诉求，不少于10个字。",
                             error_messages={"required": "请填写投诉举报事项。",
                                             "min_length": "投诉举报事项请至少写10个字。"})
    anonymous = forms.BooleanField(label="匿名投诉举报（不填写姓名和证件号码）", required=False)
    confidential = forms.BooleanField(label="要求对我的身份保密", required=False, initial=True)
    complainant_name = forms.CharField(label="姓名", max_length=100, required=False)
    complainant_id_number = forms.CharField(label="身份证件号码", max_length=30, required=False)
    complainant_phone = forms.RegexField(
        label="联系电话", max_length=30, regex=r"^[0-9+\-\s]{7,20}$",
        help_text="凭查询码和该电话查询办理情况。",
        error_messages={"required": "请填写联系电话。", "invalid": "请填写有效的电话号码。"})
    complainant_address = forms.CharField(label="联系地址", max_length=200, required=False)
    files = MultipleFileField(label="材料（照片、文件，可多选）", required=False)
    captcha = forms.CharField(label="验证码", max_length=10,
                              error_messages={"required": "请填写验证码。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _public_units()
        self.fields["subject_org"].queryset = _public_units()
        self.fields["unit"].empty_label = "请选择"
        self.fields["subject_org"].empty_label = "（不涉及或不清楚）"

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES:
            raise ValidationError(f"最多上传{MAX_FILES}个文件。")
        return files

    def clean(self):
        data = super().clean()
        if not data.get("anonymous") and not (data.get("complainant_name") or "").strip():
            self.add_error("complainant_name", "请填写姓名，或选择匿名投诉举报。")
        return data


class TrackForm(BootstrapFormMixin, forms.Form):
    code = forms.RegexField(label="查询码", regex=r"^\s*\d{12}\s*$",
                            error_messages={"required": "请填写查询码。",
                                            "invalid": "查询码是12位数字，请核对。"})
    phone = forms.CharField(label="提交时填写的联系电话", max_length=30,
                            error_messages={"required": "请填写提交时填写的联系电话。"})


def _digits(text: str) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


# --- the pages ------------------------------------------------------------------------
@require_safe
def channels(request):
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    return render(request, "complaints/public/channels.html",
                  {**portal_context(request), "channels": selectors.channel_list({"q": q}), "q": q})


@never_cache
@require_http_methods(["GET", "POST"])
def new(request):
    context = portal_context(request)
    if request.method == "GET":
        return render(request, "complaints/public/new.html", {**context, "form": PublicComplaintForm()})
    form = PublicComplaintForm(request.POST, request.FILES)
    if _over_limit(request, PortalAttempt.SUBMIT, settings.PUBLIC_COMPLAINTS_PER_HOUR):
        return render(request, "complaints/public/new.html", {
            **context, "form": form, "refused": "您提交得过于频繁，请一小时后再试，或拨打各单位的投诉举报电话。"},
            status=429)
    captcha_ok = captcha_check(request, request.POST.get("captcha", ""))
    if form.is_valid() and not captcha_ok:
        form.add_error("captcha", "验证码不正确，请看新的图片重新填写。")
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("captcha")
        files = uploads(data.pop("files"))
        try:
            complaint = services.complaint_submit_public(files=files, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return render(request, "complaints/public/done.html", {
                **context, "code": complaint.tracking_code, "unit": complaint.unit,
                "kind": complaint.get_kind_display()})
    return render(request, "complaints/public/new.html", {**context, "form": form}, status=400)


def _public_answer(complaint: Complaint) -> dict:
    """What the status page shows: the status and the reply, nothing else — following a
    transfer to the unit that handles it (M15.2: the complainant is told who)."""
    lines = []
    while complaint.status == ComplaintStatus.TRANSFERRED:
        successor = selectors.successor_of(complaint)
        lines.append(f"已转{complaint.transferred_to.name}办理")
        if successor is None:
            break
        complaint = successor
    reply, replied = "", None
    if complaint.status == ComplaintStatus.REJECTED:
        reply, replied = complaint.reject_reason, complaint.told_at
    elif complaint.status in (ComplaintStatus.ANSWERED, ComplaintStatus.ARCHIVED):
        reply, replied = complaint.answer, complaint.answered_at
    return {"status": PUBLIC_STATUS[complaint.status], "transfers": lines, "reply": reply,
            "replied": replied}


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    context = portal_context(request)
    if request.method == "GET":
        return render(request, "complaints/public/track.html", {**context, "form": TrackForm()})
    form = TrackForm(request.POST)
    if _over_limit(request, PortalAttempt.TRACK, settings.PUBLIC_TRACKS_PER_HOUR):
        return render(request, "complaints/public/track.html", {
            **context, "form": form, "refused": "查询过于频繁，请一小时后再试。"}, status=429)
    if not form.is_valid():
        return render(request, "complaints/public/track.html", {**context, "form": form}, status=400)
    code = form.cleaned_data["code"].strip()
    phone = _digits(form.cleaned_data["phone"])
    complaint = Complaint.objects.filter(Q(tracking_code=code), channel="portal").select_related(
        "transferred_to").first()
    if complaint is None or not phone or _digits(complaint.complainant_phone) != phone:
        form.add_error(None, "查询码或联系电话不正确，请核对后重试。")
        return render(request, "complaints/public/track.html", {**context, "form": form}, status=400)
    return render(request, "complaints/public/track.html",
                  {**context, "form": TrackForm(), "answer": _public_answer(complaint)})
