"""Forms of the members' side."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from graph import members
from trustnet.forms import confirm_password_field, new_password_field
from trustnet.i18n import lazy_gettext as _l
from trustnet.places import place_choice_field, place_field


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


class MailForm(FlaskForm):
    """Which mail I want: one box per kind of graph.notifications.MAIL_KINDS (the app's
    notifications come anyway). `sent` tells this form apart when every box is unticked."""

    sent = HiddenField(default="1")
    message = BooleanField(_l("A member writes to me"))
    sanction = BooleanField(_l("My account is suspended, or active again"))
    strike = BooleanField(_l("A member I sponsored is banned (a strike against me)"))
    appeal = BooleanField(_l("The decision on my appeal"))


class HomeForm(FlaskForm):
    place = place_field(_l("Your town"), _l(
        "Its name, as you type it. Members see how far your offers are from its centre; "
        "nothing more precise is kept."))
    place_id = place_choice_field()


class ConfirmForm(FlaskForm):
    """A button and its CSRF token: for actions with nothing to fill in."""


class BioForm(FlaskForm):
    """The few words of my profile."""

    bio = TextAreaField(_l("About you"), validators=[Length(max=members.MAX_BIO)],
                        description=_l("A few words the members of your circles read on your "
                                       "profile. Leave it empty for none."))
