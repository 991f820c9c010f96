"""Forms of the public side: sign-in, registration, password reset."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, IntegerField, PasswordField
from wtforms.validators import DataRequired, Length, Optional

from trustnet.forms import confirm_password_field, name_field, new_password_field
from trustnet.i18n import lazy_gettext as _l


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class RegisterForm(FlaskForm):
    name = name_field()
    password = new_password_field()
    confirm = confirm_password_field()
    # The charter version shown (0 or absent: none yet); the join page then removes
    # accept_charter.
    charter_version = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    accept_charter = BooleanField(
        _l("I have read the charter and I accept it"),
        validators=[DataRequired(message=_l("Joining means accepting the charter."))])


class ForgotForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])


class SetPasswordForm(FlaskForm):
    password = new_password_field()
    confirm = confirm_password_field()
