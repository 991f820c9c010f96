"""Forms of the members' side of moderation."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Length

from graph.abuse_reports import MAX_TEXT
from trustnet.forms import FormKeyField
from trustnet.i18n import lazy_gettext as _l

REASON_LABELS = {
    "spam": _l("Spam or advertising"),
    "scam": _l("Scam or fraud"),
    "abuse": _l("Abusive or hateful"),
    "illegal": _l("Illegal"),
    "other": _l("Something else"),
}


class ReportForm(FlaskForm):
    form_key = FormKeyField()
    reason = RadioField(_l("What is wrong?"), validators=[DataRequired()],
                        choices=[SelectChoice(value, label)
                                 for value, label in REASON_LABELS.items()])
    text = TextAreaField(_l("Tell the admins more"), validators=[Length(max=MAX_TEXT)])


class AppealForm(FlaskForm):
    text = TextAreaField(
        _l("Your appeal"), validators=[DataRequired(), Length(max=MAX_TEXT)],
        description=_l("You can appeal once: say why the decision should change."),
    )
