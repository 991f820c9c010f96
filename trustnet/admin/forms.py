"""Forms of the admin side."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from graph.charter import MAX_TEXT as MAX_CHARTER
from trustnet.forms import MAX_PASSWORD_LENGTH
from trustnet.i18n import lazy_gettext as _l


class BanForm(FlaskForm):
    """The reason, then the preview; the confirmation carries what the preview showed."""

    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=1000)],
        description=_l("Recorded in the audit log and sent to the member."),
    )
    expected_suspended = HiddenField()
    expected_strikes = HiddenField()


class UnbanForm(FlaskForm):
    reason = TextAreaField(_l("Why is the ban lifted?"), validators=[Length(max=1000)])


class DecisionForm(FlaskForm):
    note = TextAreaField(
        _l("Note"), validators=[Length(max=1000)],
        description=_l("Sent to the member with the decision."),
    )


class CharterForm(FlaskForm):
    text = TextAreaField(
        _l("Text of the charter"), validators=[DataRequired(), Length(max=MAX_CHARTER)],
        description=_l("Newcomers read it on the invitation page and accept it to join. "
                       "Publishing makes a new version; earlier ones are kept."),
    )


class ReauthenticateForm(FlaskForm):
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or e-mail"), validators=[Length(max=254)])
