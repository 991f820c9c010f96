"""Choosing a place in a form, without JavaScript: the member types a town's name, and the
server finds it; when several towns match, the form comes back with a list to choose from.
A <datalist> filled from /places.json (static/js/places.js) only suggests names as they type.
"""

from __future__ import annotations

from babel import numbers
from flask import Blueprint, jsonify, request
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length

from graph import places
from graph.engine import GraphEngine
from graph.errors import NotFound
from trustnet.forms import single_line
from trustnet.guards import require_member
from trustnet.i18n import gettext as _
from trustnet.i18n import lazy_gettext as _l
from trustnet.services import graph_engine

MAX_TYPED = 100

blueprint = Blueprint("places", __name__)
blueprint.before_request(require_member)


def place_field(label: str | object, description: str | object) -> StringField:
    """The text a member types: a town's name, or its label as a list wrote it."""
    return StringField(label, validators=[Length(max=MAX_TYPED), single_line],
                       description=description)


def place_choice_field() -> SelectField:
    """The towns matching what was typed, shown only when there are several."""
    return SelectField(_l("Which one?"), choices=[], validate_choice=False)


def chosen_place(engine: GraphEngine, form: FlaskForm) -> tuple[bool, places.Place | None]:
    """Resolve the form's `place` (and `place_id`, once chosen from the list): (True, the
    place, or None when nothing was typed), or (False, None) with the field's error and the
    list of matches to choose from. The typed text becomes the place's label."""
    typed = (form.place.data or "").strip()
    if not typed:
        return True, None
    place = _picked(engine, form.place_id.data, typed)
    if place is None:
        matches, exact = places.find_places(engine, typed)
        if not matches:
            form.place.errors.append(_("No town of that name: check its spelling."))
            return False, None
        if not exact and len(matches) > 1:
            form.place_id.choices = [(match.id, match.label) for match in matches]
            form.place.errors.append(_("Several towns match: choose yours in the list."))
            return False, None
        place = matches[0]
    form.place.data = place.label
    return True, place


def submitted_with_place(form: FlaskForm) -> tuple[bool, places.Place | None]:
    """validate_on_submit(), then chosen_place: whether the form may be acted on, and its
    place."""
    if not form.validate_on_submit():
        return False, None
    return chosen_place(graph_engine(), form)


def _picked(engine: GraphEngine, place_id: str | None, typed: str) -> places.Place | None:
    """The place chosen from the list, if it still matches what is typed."""
    if not place_id:
        return None
    try:
        place = places.get_place(engine, place_id)
    except NotFound:
        return None
    name = places.search_key(place.name)
    return place if typed == place.label or name.startswith(places.search_key(typed)) else None


@blueprint.app_template_filter("km")
def format_km(metres: float) -> str:
    """A distance as the reader writes it: "3.2 km" or "3,2 km", whole kilometres from 10;
    a no-break space keeps the number and its unit on one line."""
    pattern = "#,##0.#" if metres < 10_000 else "#,##0"
    return numbers.format_decimal(metres / 1000, format=pattern, locale=get_locale()) + "\u00a0km"


@blueprint.get("/places.json")
def suggestions():
    """Names of the towns starting with ?q=, for the <datalist> of place fields."""
    typed = request.args.get("q", "")[:MAX_TYPED]
    matches, _ = places.find_places(graph_engine(), typed)
    return jsonify([place.label for place in matches])
