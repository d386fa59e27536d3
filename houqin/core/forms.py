"""Form helpers: Bootstrap classes on every widget, so templates stay plain."""

from __future__ import annotations

from typing import Any

from django import forms


class BootstrapMixin:
    """Adds form-control / form-select / form-check-input classes to the widgets."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class Form(BootstrapMixin, forms.Form):
    """A plain form that also accepts the `user` and `instance` ServiceFormView passes to every form."""

    def __init__(self, *args: Any, user: Any = None, instance: Any = None, **kwargs: Any):
        self.user = user
        self.instance = instance
        super().__init__(*args, **kwargs)


class ModelForm(BootstrapMixin, forms.ModelForm):
    pass


class ServiceModelForm(ModelForm):
    """A ModelForm that only parses input: the service builds, validates and saves the row (so the model's own
    validation runs once, in the service, not also here)."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user

    def _post_clean(self) -> None:
        pass


class DateInput(forms.DateInput):
    """The browser's date picker; its value must be ISO (2026-09-01) whatever the display language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
