"""What the safety pages share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from houqin.core.mixins import ActionView


class FormActionView(ActionView):
    """POST a small form from a detail page; its errors come back as messages."""

    form_class: Any = None

    def perform(self, obj: Any) -> Any:
        form = self.form_class(self.request.POST, self.request.FILES)
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[f].label}: {e}" for f, errs in form.errors.items() if f in form.fields for e in errs]
            )
        return self.apply(obj, form.cleaned_data)

    def apply(self, obj: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError
