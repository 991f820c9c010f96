"""Forms of offers and conversations, and the feed's filters."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    RadioField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from graph import offers
from graph.conversations import MAX_BODY
from trustnet.forms import FormKeyField, single_line
from trustnet.i18n import lazy_gettext as _l
from trustnet.places import place_choice_field, place_field

CATEGORY_LABELS = {
    "housing_rental": _l("Housing rental"),
    "holiday_home": _l("Holiday home"),
    "car_loan": _l("Car loan"),
    "ride_sharing": _l("Ride sharing"),
    "tools": _l("Tools and equipment"),
    "services": _l("Services (babysitting, tutoring, help moving)"),
    "giveaway": _l("Giveaway"),
    "other": _l("Other"),
}

# "40 € per night": what a price pays for (graph.offers.PRICE_UNITS).
PRICE_UNIT_LABELS = {
    "night": _l("per night"),
    "day": _l("per day"),
    "week": _l("per week"),
    "hour": _l("per hour"),
    "once": _l("once"),
}

KIND_LABELS = {
    "offer": _l("I offer something"),
    "request": _l("I ask for help"),
}

VISIBILITY_LABELS = {
    1: _l("My contacts only (1st degree)"),
    2: _l("Up to friends of friends (2nd degree)"),
    3: _l("Up to the 3rd degree"),
    offers.WHOLE_NETWORK: _l("The whole network"),
}


def visibility_choices(max_degree: int) -> list[SelectChoice]:
    """The circles an owner can choose, within the network's maximum degree."""
    return [SelectChoice(value, VISIBILITY_LABELS[value]) for value in offers.VISIBILITIES
            if value == offers.WHOLE_NETWORK or value <= max_degree]


def _category_choices() -> list[SelectChoice]:
    return [SelectChoice(key, label) for key, label in CATEGORY_LABELS.items()]


def price_in_bounds(form: FlaskForm, field: DecimalField) -> None:
    """Refuse a price every page could not format: NaN, infinities, negative or too large."""
    if field.data is not None and not (field.data.is_finite()
                                       and 0 <= field.data <= offers.MAX_PRICE):
        raise StopValidation(_l("A price is a number from 0 to %(max)d.", max=offers.MAX_PRICE))


class OfferForm(FlaskForm):
    form_key = FormKeyField()  # a new offer's: the edit form ignores it
    # Left out of a form (a client of before requests), it is an offer.
    kind = RadioField(_l("Offer or request"), default="offer",
                      choices=[SelectChoice(key, label) for key, label in KIND_LABELS.items()])
    title = StringField(_l("Title"),
                        validators=[DataRequired(), Length(max=offers.MAX_TITLE), single_line],
                        description=_l("What you offer, in a few words."))
    # No category is chosen for the owner: an offer filed under a default nobody picked is
    # not found where members look for it.
    category = SelectField(
        _l("Category"), default="",
        choices=[SelectChoice("", _l("Choose a category")), *_category_choices()],
        validators=[DataRequired(message=_l("Choose a category."))])
    description = TextAreaField(
        _l("Description"), validators=[DataRequired(), Length(max=offers.MAX_DESCRIPTION)],
        description=_l("Conditions, what is included, how to reach it."),
    )
    area = StringField(_l("Area or town"),
                       validators=[DataRequired(), Length(max=offers.MAX_AREA), single_line])
    place = place_field(_l("Town"), _l(
        "Where it is: your town unless you change it. Members see how far it is from them."))
    place_id = place_choice_field()
    price = DecimalField(
        _l("Price"), places=2,
        validators=[Optional(), price_in_bounds],
        description=_l("Leave it empty if it is free."))
    price_unit = SelectField(
        _l("The price is"), default="once",
        choices=[SelectChoice(unit, label) for unit, label in PRICE_UNIT_LABELS.items()],
        description=_l("Ignored when the offer is free."))
    available_from = DateField(_l("Available from"), validators=[Optional()],
                               description=_l("Optional."))
    available_until = DateField(_l("Available until"), validators=[Optional()],
                                description=_l("Optional."))
    visibility = RadioField(_l("Who can see it"), coerce=int,
                            validators=[InputRequired(message=_l("Choose who can see it."))])

    def validate_available_until(self, field: DateField) -> None:
        """The end of availability cannot come before its start."""
        start = self.available_from.data
        if field.data and start and field.data < start:
            raise ValidationError(_l("This date is before the start date."))

    def draft(self, currency: str, place_id: str | None = None) -> offers.OfferDraft:
        """The offer as the graph layer takes it."""
        return offers.OfferDraft(
            title=self.title.data, description=self.description.data,
            category=self.category.data, area=self.area.data,
            price=float(self.price.data) if self.price.data else None,
            price_unit=self.price_unit.data, currency=currency,
            visibility=self.visibility.data,
            available_from=_iso(self.available_from.data),
            available_until=_iso(self.available_until.data), place_id=place_id,
            kind=self.kind.data,
        )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


class FeedFilterForm(FlaskForm):
    """The feed's filters, read from the query string (a GET form: nothing to protect)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=100)])
    category = SelectField(_l("Category"), default="",
                           choices=[SelectChoice("", _l("All categories")), *_category_choices()])
    degree = SelectField(_l("From"), default="")  # choices: degree_choices(max degree)
    within = SelectField(_l("Where"), default="", choices=[
        SelectChoice("", _l("Anywhere")),
        *(SelectChoice(str(km), _l("Within %(km)d km of my town", km=km))
          for km in offers.DISTANCES_KM)])
    kind = SelectField(_l("Show"), default="",
                       choices=[SelectChoice("", _l("Offers and requests")),
                                SelectChoice("offer", _l("Offers only")),
                                SelectChoice("request", _l("Requests only"))])

    def feed_filters(self) -> dict:
        """The filters as graph.offers.feed takes them; none while one is not valid."""
        if not self.validate():
            return {}
        return {"category": self.category.data or None, "text": self.q.data or None,
                "kind": self.kind.data or None,
                "max_degree": int(self.degree.data) if self.degree.data else None,
                "within_km": int(self.within.data) if self.within.data else None}


def degree_choices(max_degree: int) -> list[SelectChoice]:
    """The feed's degree filter: anyone, or up to each degree of the network's maximum."""
    labels = {1: _l("My contacts"), 2: _l("Up to friends of friends")}
    return [SelectChoice("", _l("Anyone I may see"))] + [
        SelectChoice(str(degree),
                     labels.get(degree) or _l("Up to %(degree)d steps away", degree=degree))
        for degree in range(1, max_degree + 1)
    ]


class StarForm(FlaskForm):
    """Add an offer to my favourites ("1") or take it out ("0"): the state to set, so that
    a form sent twice does what it said once."""

    starred = HiddenField(validators=[AnyOf(["0", "1"])])


class MessageForm(FlaskForm):
    form_key = FormKeyField()
    body = TextAreaField(_l("Your message"), validators=[DataRequired(), Length(max=MAX_BODY)])
