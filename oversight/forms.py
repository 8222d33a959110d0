"""The web form of a report, built from the form's field list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


def values_form(fields: list[dict[str, Any]], *, data: Any = None, initial: dict[str, Any] | None = None,
                disabled: bool = False) -> forms.Form:
    form = forms.Form(data=data, initial=initial or {})
    for spec in fields:
        required = bool(spec.get("required"))
        label = spec["label"]
        kind = spec["type"]
        if kind == "int":
            field: forms.Field = forms.IntegerField(label=label, required=required, min_value=spec.get("min"),
                                                    max_value=spec.get("max"))
        elif kind == "decimal":
            field = forms.DecimalField(label=label, required=required, min_value=spec.get("min"),
                                       max_value=spec.get("max"))
        elif kind == "bool":
            field = forms.TypedChoiceField(label=label, required=required, coerce=lambda v: v == "true",
                                           choices=[("", "—"), ("true", _("Có")), ("false", _("Không"))])
        else:
            field = forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 4}))
        if spec.get("source"):
            field.help_text = _("Số liệu tự động từ hệ thống; đơn vị kiểm tra và xác nhận.")
        field.disabled = disabled
        form.fields[spec["key"]] = field
    return form


def form_values(form: forms.Form) -> dict[str, Any]:
    """Cleaned values as the service expects them (None for empty)."""
    result = {}
    for key, value in form.cleaned_data.items():
        if value in ("", None):
            result[key] = None
        elif hasattr(value, "as_tuple"):  # Decimal
            result[key] = str(value)
        else:
            result[key] = value
    return result
