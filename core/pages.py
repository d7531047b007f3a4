"""The shared web layer: every page of every mechanism is one of these four shapes, so an
app's web code is declarations — which rows, which form, which service — not copies.

- ``ListPage``: a scoped list with one filter policy (a filter that cannot be read shows
  the form's error and no rows), pagination, keyword search and the Excel export of
  ``core.exports`` at the list's own address with ``?export=xlsx``.
- ``DetailPage``: one object through ``policy.access``, the fields this viewer may see,
  its deadline box, documents and audit timeline, and its workflow's buttons with who
  acts next.
- ``FormPage``: GET shows the form; a valid POST calls the service; a refusal
  (``ValidationError``) lands on the form (``apply_errors``) with everything typed kept.
- ``ActionView``: a POST-only step on an object (``TransitionView`` for a workflow move);
  a refusal is one error message on the object's page.

Forms posted through ``FormPage`` and ``ActionView`` carry a one-time key
(``{% submission_key %}``): the same key posted again is not carried out twice.
"""
from __future__ import annotations

import uuid
from typing import Any, Callable, Iterable

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from . import exports, formats, policy
from .forms import apply_errors
from .models import Submission
from .timeline import timeline_for
from .workflow import Workflow

SUBMISSION_FIELD = "_submission"

# Parts of a detail page that other apps provide (its deadlines, its documents): name →
# fn(user, obj) returning what the include shows. Registered in the providing app's
# ``ready()``, so core does not import the apps above it.
_DETAIL_PARTS: dict[str, Callable[[Any, models.Model], Any]] = {}


def register_detail_part(name: str, fn: Callable[[Any, models.Model], Any]) -> None:
    _DETAIL_PARTS[name] = fn


def refusal_text(error: ValidationError) -> str:
    """A service's refusal as one message: its sentences in a row."""
    sentences = [m if m.endswith(("。", "！", "？", "）")) else f"{m}。" for m in error.messages]
    return "".join(sentences)


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return None


class Page(LoginRequiredMixin, View):
    """A signed-in page; ``capability`` (checked with ``policy.require_open``) opens it."""

    capability: str | None = None
    title: str = ""
    template_name: str = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            policy.require_open(request.user, self.capability)
        return super().dispatch(request, *args, **kwargs)

    def extra_context(self, request: HttpRequest, **kwargs) -> dict[str, Any]:
        return {}


# --- lists ------------------------------------------------------------------------------
def read_filters(form_class: type[forms.Form] | None, params, **form_kwargs
                 ) -> tuple[forms.Form | None, dict | None]:
    """The filter form bound to ``params`` (when any filter is given) and the filters it
    gives: ``{}`` for none, ``None`` when the form cannot be read (show no rows)."""
    if form_class is None:
        return None, {}
    given = {k for k in params if k not in ("page", "export") and params.get(k) != ""}
    form = form_class(params if given else None, **form_kwargs)
    if not form.is_bound:
        return form, {}
    if not form.is_valid():
        return form, None
    return form, form.filters()


def filtered(form_class, params, rows: Callable[[dict], models.QuerySet], **form_kwargs
             ) -> models.QuerySet:
    """The rows for ``params`` as the list shows them: no rows when the filters cannot be
    read. The exporters call this with the list's GET values."""
    _form, filters = read_filters(form_class, params, **form_kwargs)
    qs = rows(filters or {})
    return qs if filters is not None else qs.none()


class ListPage(Page):
    filter_form: type[forms.Form] | None = None
    page_size = 30
    paginator_class = Paginator
    # A registered ``core.exports`` kind; the list offers it at ``?…&export=xlsx`` to
    # users who hold the exporter's capability.
    export_kind: str = ""
    template_name = "includes/list_page.html"
    # For the generic template: (header, fn(row) → cell) pairs; the first cell links to
    # the row's page (``get_absolute_url``).
    columns: tuple[tuple[str, Callable[[Any], Any]], ...] = ()
    empty_text = "没有符合条件的记录。"

    def get_queryset(self, request: HttpRequest, filters: dict) -> models.QuerySet:
        raise ImproperlyConfigured(f"{type(self).__name__} must define get_queryset() (each list names its selector).")

    def filter_form_kwargs(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def get_paginator(self, qs):
        return self.paginator_class(qs, self.page_size)

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        if self.export_kind and request.GET.get("export") == "xlsx":
            return exports.export_response(request, self.export_kind)
        form, filters = read_filters(self.filter_form, request.GET,
                                     **self.filter_form_kwargs(request))
        qs = self.get_queryset(request, filters or {}, **kwargs)
        if filters is None:
            qs = qs.none()
        page = self.get_paginator(qs).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        query = query.urlencode()
        export_url = ""
        if self.export_kind and policy.has_capability(
                request.user, exports.exporter_for(self.export_kind).capability):
            export_url = f"?{query}&export=xlsx" if query else "?export=xlsx"
        context = {
            "title": self.title, "form": form, "page": page, "query": query,
            "export_url": export_url, "columns": self.columns, "empty_text": self.empty_text,
            "rows": [{"url": row.get_absolute_url(), "cells": [fn(row) for _h, fn in self.columns]}
                     for row in page] if self.columns else (),
        }
        context.update(self.extra_context(request, page=page, **kwargs))
        return render(request, self.template_name, context)


# --- detail pages -----------------------------------------------------------------------
def field_text(obj: models.Model, name: str) -> Any:
    """A field's value as a detail page shows it: a choice's label, a moment in Chinese,
    a related object (its ``get_absolute_url`` makes it a link in the include)."""
    field = obj._meta.get_field(name)
    if field.choices:
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if isinstance(field, models.DateTimeField):
        return formats.moment_text(value)
    if isinstance(field, models.DateField):
        return formats.date_text(value)
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    return value


def detail_fields(obj: models.Model, names: Iterable[str], hidden: Iterable[str] = ()
                  ) -> list[tuple[str, Any]]:
    """(label, value) for each of ``names``; those in ``hidden`` read 保密."""
    hidden = set(hidden)
    rows = []
    for name in names:
        label = str(obj._meta.get_field(name).verbose_name)
        rows.append((label, "（保密）" if name in hidden else field_text(obj, name)))
    return rows


class DetailPage(Page):
    model: type[models.Model] | None = None
    workflow: Workflow | None = None
    # Targets the page offers through a form of its own rather than a plain button.
    workflow_exclude: tuple[str, ...] = ()
    # The fields shown in the 基本情况 box, and those only ``may_see_confidential`` shows.
    fields: tuple[str, ...] = ()
    confidential: tuple[str, ...] = ()
    transition_url_name: str = ""  # the app's TransitionView, reversed with the pk

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return self.model._default_manager.all()

    def get_object(self, request: HttpRequest, pk) -> models.Model:
        return policy.access(request.user, self.get_queryset(request), pk)

    def may_see_confidential(self, user, obj) -> bool:
        return True

    def get(self, request: HttpRequest, pk, **kwargs) -> HttpResponse:
        obj = self.get_object(request, pk)
        user = request.user
        hidden = () if self.may_see_confidential(user, obj) else self.confidential
        context = {
            "object": obj, "title": self.title or str(obj),
            "fields": detail_fields(obj, self.fields, hidden),
            "timeline": timeline_for(obj),
            "actions": (self.workflow.actions(obj, user, exclude=self.workflow_exclude)
                        if self.workflow else None),
            "transition_url_name": self.transition_url_name,
            **{name: fn(user, obj) for name, fn in _DETAIL_PARTS.items()},
        }
        context.update(self.extra_context(request, obj=obj, **kwargs))
        return render(request, self.template_name, context)


# --- one-time keys ----------------------------------------------------------------------
def _claim_submission(request: HttpRequest) -> Submission | None | bool:
    """Record this POST's one-time key. None: no key was sent (an API client, an old
    page); False: the key was used before — the first POST is already being done."""
    raw = request.POST.get(SUBMISSION_FIELD, "")
    try:
        key = uuid.UUID(raw)
    except ValueError:
        return None
    try:
        with transaction.atomic():
            return Submission.objects.create(key=key, user=request.user)
    except IntegrityError:
        return False


def _repeated(request: HttpRequest, fallback: str) -> HttpResponse:
    done = Submission.objects.filter(key=request.POST.get(SUBMISSION_FIELD),
                                     user=request.user).values_list("result_url", flat=True).first()
    messages.info(request, "该表单已经提交过，未重复办理。")
    return HttpResponseRedirect(done or fallback)


def _done(submission, url: str) -> None:
    if submission:
        Submission.objects.filter(pk=submission.pk).update(result_url=url[:300])


def _release(submission) -> None:
    """A refused submission may be corrected and sent again with the same key."""
    if submission:
        Submission.objects.filter(pk=submission.pk).delete()


# --- forms ------------------------------------------------------------------------------
class FormPage(Page):
    """A form that calls one service. Subclasses set ``form_class`` and implement
    ``save`` (the service call, returning the object to go to)."""

    form_class: type[forms.Form]
    template_name = "includes/form_page.html"
    success_message: str | Callable[[Any], str] = "已保存。"
    submit_label = "保存"
    multipart = False

    def get_object(self, request: HttpRequest, **kwargs) -> models.Model | None:
        """The object the form works on (the record edited, the case something is added
        to), fetched through its scope; None for a new top-level record."""
        return None

    def check(self, request: HttpRequest, obj) -> None:
        """Refuse (PermissionDenied) before the form is even shown; the service checks
        again when it writes."""

    def get_form_class(self, request: HttpRequest, obj) -> type[forms.Form]:
        return self.form_class

    def get_form_kwargs(self, request: HttpRequest, obj) -> dict[str, Any]:
        return {}

    def save(self, request: HttpRequest, form: forms.Form, obj) -> models.Model:
        raise ImproperlyConfigured(f"{type(self).__name__} must define save() (each form names its service).")

    def get_success_url(self, request: HttpRequest, result) -> str:
        return _safe_next(request) or result.get_absolute_url()

    def cancel_url(self, request: HttpRequest, obj) -> str:
        return obj.get_absolute_url() if obj is not None and hasattr(obj, "get_absolute_url") else ""

    def _render(self, request, form, obj, **kwargs):
        context = {"form": form, "object": obj, "title": self.title,
                   "submit_label": self.submit_label, "multipart": self.multipart,
                   "cancel_url": self.cancel_url(request, obj)}
        context.update(self.extra_context(request, obj=obj, form=form, **kwargs))
        return render(request, self.template_name, context)

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        obj = self.get_object(request, **kwargs)
        self.check(request, obj)
        form_class = self.get_form_class(request, obj)
        return self._render(request, form_class(**self.get_form_kwargs(request, obj)), obj, **kwargs)

    def post(self, request: HttpRequest, **kwargs) -> HttpResponse:
        obj = self.get_object(request, **kwargs)
        self.check(request, obj)
        form_class = self.get_form_class(request, obj)
        form = form_class(request.POST, request.FILES, **self.get_form_kwargs(request, obj))
        if form.is_valid():
            submission = _claim_submission(request)
            if submission is False:
                return _repeated(request, request.path)
            try:
                result = self.save(request, form, obj)
            except ValidationError as error:
                _release(submission)
                apply_errors(form, error)
            else:
                url = self.get_success_url(request, result)
                _done(submission, url)
                message = self.success_message
                messages.success(request, message(result) if callable(message) else message)
                return HttpResponseRedirect(url)
        return self._render(request, form, obj, **kwargs)


# --- POST actions -----------------------------------------------------------------------
class ActionView(LoginRequiredMixin, View):
    """A step taken with a button on an object's page; POST only. A refusal is shown as
    one error message on the page the user came from."""

    http_method_names = ["post"]
    form_class: type[forms.Form] | None = None
    success_message: str | Callable[[Any], str] = "已办理。"
    # What to say when the form is incomplete; default: its errors.
    invalid_message = ""

    def get_object(self, request: HttpRequest, pk) -> models.Model:
        raise ImproperlyConfigured(f"{type(self).__name__} must define get_object() (each action fetches through its scope).")

    def perform(self, request: HttpRequest, obj, data: dict) -> Any:
        raise ImproperlyConfigured(f"{type(self).__name__} must define perform() (each action names its service).")

    def get_success_url(self, request: HttpRequest, obj, result) -> str:
        return _safe_next(request) or obj.get_absolute_url()

    def message(self, request: HttpRequest, obj, result) -> str:
        m = self.success_message
        return m(result) if callable(m) else m

    def post(self, request: HttpRequest, pk, **kwargs) -> HttpResponse:
        obj = self.get_object(request, pk)
        back = _safe_next(request) or obj.get_absolute_url()
        data: dict = {}
        if self.form_class is not None:
            form = self.form_class(request.POST, request.FILES)
            if not form.is_valid():
                messages.error(request, self.invalid_message or refusal_text(
                    ValidationError([e for errs in form.errors.values() for e in errs])))
                return HttpResponseRedirect(back)
            data = form.cleaned_data
        submission = _claim_submission(request)
        if submission is False:
            return _repeated(request, back)
        try:
            result = self.perform(request, obj, data)
        except ValidationError as error:
            _release(submission)
            messages.error(request, refusal_text(error))
            return HttpResponseRedirect(back)
        url = self.get_success_url(request, obj, result)
        _done(submission, url)
        messages.success(request, self.message(request, obj, result))
        return HttpResponseRedirect(url)


class TransitionForm(forms.Form):
    target = forms.CharField(max_length=40)
    note = forms.CharField(required=False, max_length=2000)


class TransitionView(ActionView):
    """A workflow step: POST ``target`` (and ``note``) to ``transition``, the app's
    service. The success message is the transition's ``done`` sentence."""

    form_class = TransitionForm
    workflow: Workflow
    invalid_message = "请求无效，请刷新页面后重试。"

    def transition(self, request: HttpRequest, obj, target: str, note: str) -> Any:
        raise ImproperlyConfigured(f"{type(self).__name__} must define transition() (each workflow names its service).")

    def perform(self, request, obj, data):
        self._step = self.workflow.find(getattr(obj, self.workflow.status_field), data["target"])
        return self.transition(request, obj, data["target"], data["note"])

    def message(self, request, obj, result) -> str:
        step = getattr(self, "_step", None)
        return step.done_text if step is not None else "已办理。"
