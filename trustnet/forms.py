"""Form pieces shared by several audiences."""

from __future__ import annotations

import re
import secrets

from wtforms import Field, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from trustnet.i18n import lazy_gettext as _l
from trustnet.security import MIN_PASSWORD_LENGTH

MAX_PASSWORD_LENGTH = 1024
FORM_KEY = re.compile(r"[0-9a-f]{32}")


def new_form_key() -> str:
    """A fresh idempotency key: 128 random bits as 32 hex digits."""
    return secrets.token_hex(16)


class FormKeyField(HiddenField):
    """The idempotency key of a form that creates something (an offer, a message).

    Made when the form is shown and sent back with it, it names what the form creates (see
    graph.ids.id_for_form): a member who presses "send" again after a lost reply sends
    the same key, and the verb finds what the first sending made instead of making it
    twice. A form shown again with its mistakes keeps its key. A missing or malformed key
    is replaced by a fresh one: that sending creates, like any new form.
    """

    data: str

    def __init__(self, **kwargs: object) -> None:
        super().__init__(default=new_form_key, **kwargs)  # type: ignore[arg-type]

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        if not isinstance(self.data, str) or not FORM_KEY.fullmatch(self.data):
            self.data = new_form_key()


def new_password_field() -> PasswordField:
    """A new-password field with the length rules."""
    return PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)],
        description=_l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
    )


def confirm_password_field() -> PasswordField:
    """A field that must repeat `password`."""
    return PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


def single_line(form: object, field: Field) -> None:
    """Refuse a line break or a tab in a one-line text: names and titles go into mail
    subjects, where a line break would end the header."""
    if field.data and any(character in field.data for character in "\r\n\t"):
        raise ValidationError(_l("Write it on one line."))


def name_field() -> StringField:
    """A display name, as other members will see it."""
    return StringField(
        _l("Your name"), validators=[DataRequired(), Length(max=100), single_line],
        description=_l("As the members who know you would recognise it."),
    )
