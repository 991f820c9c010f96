"""Form pieces shared by several audiences."""

from __future__ import annotations

from wtforms import Field, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from trustnet.i18n import lazy_gettext as _l
from trustnet.security import MIN_PASSWORD_LENGTH

MAX_PASSWORD_LENGTH = 1024


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
