"""Forms of the members' side."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from graph import members
from trustnet.forms import confirm_password_field, new_password_field
from trustnet.i18n import lazy_gettext as _l


class InviteForm(FlaskForm):
    email = EmailField(_l("Their e-mail"), validators=[DataRequired(), Length(max=254)])
    note = TextAreaField(
        _l("A personal note"), validators=[Length(max=1000)],
        description=_l("Tell them why you invite them. It goes into the e-mail."),
    )


class VouchForm(FlaskForm):
    email = EmailField(_l("E-mail of a member you know"),
                       validators=[DataRequired(), Length(max=254)])
    note = TextAreaField(_l("How do you know them?"), validators=[Length(max=500)])


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1024)])
    password = new_password_field()
    confirm = confirm_password_field()


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[
        SelectChoice("", _l("As my browser")),
        SelectChoice("en", "English", render_kw={"lang": "en"}),
        SelectChoice("fr", "Français", render_kw={"lang": "fr"}),
    ])


class ConfirmForm(FlaskForm):
    """A button and its CSRF token: for actions with nothing to fill in."""


class BioForm(FlaskForm):
    """The few words of my profile."""

    bio = TextAreaField(_l("About you"), validators=[Length(max=members.MAX_BIO)],
                        description=_l("A few words the members of your circles read on your "
                                       "profile. Leave it empty for none."))
