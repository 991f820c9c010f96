"""Forms of a member's own account."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from trustnet.forms import MAX_PASSWORD_LENGTH
from trustnet.i18n import lazy_gettext as _l


class LeaveForm(FlaskForm):
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)],
        description=_l("To be sure it is you."),
    )
