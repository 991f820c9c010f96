"""Forms of an exchange's end: the owner marks it done, then each side leaves a reference."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from graph import references
from trustnet.forms import FormKeyField
from trustnet.i18n import lazy_gettext as _l

EXCHANGE_LABELS = {
    "lent": _l("Lent"),
    "rented": _l("Rented"),
    "given": _l("Given"),
    "ridden": _l("Ride shared"),
}

RATING_LABELS = {
    "positive": _l("Positive"),
    "neutral": _l("Neutral"),
    "negative": _l("Negative"),
}


class DoneForm(FlaskForm):
    """The owner says the exchange took place, and how."""

    exchange = RadioField(
        _l("What took place?"),
        choices=[SelectChoice(value, label) for value, label in EXCHANGE_LABELS.items()],
        validators=[InputRequired(message=_l("Choose what took place."))])


class ReferenceForm(FlaskForm):
    """My one reference about the other side of a done exchange."""

    form_key = FormKeyField()
    rating = RadioField(
        _l("How did it go?"),
        choices=[SelectChoice(value, label) for value, label in RATING_LABELS.items()],
        validators=[InputRequired(message=_l("Choose positive, neutral or negative."))])
    text = TextAreaField(
        _l("Your reference"), validators=[DataRequired(), Length(max=references.MAX_TEXT)],
        description=_l("A few words the members who may see this profile will read; a "
                       "negative reference is also read by the moderators."))
