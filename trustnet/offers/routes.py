"""Offers and conversations: publish and manage my offers, open one I may see, and talk
with its owner."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from graph import conversations, favourites, offers, places, references
from graph.errors import DomainError
from graph.trust import PathStep
from trustnet.actions.conversations import reply, write_to_owner
from trustnet.actions.offers import delete_offer
from trustnet.errors import refusal_message
from trustnet.guards import require_member
from trustnet.member.forms import ConfirmForm
from trustnet.offers.forms import (
    CATEGORY_LABELS,
    PRICE_UNIT_LABELS,
    VISIBILITY_LABELS,
    MessageForm,
    OfferForm,
    StarForm,
    visibility_choices,
)
from trustnet.offers.reference_forms import EXCHANGE_LABELS, RATING_LABELS, DoneForm, ReferenceForm
from trustnet.places import submitted_with_place
from trustnet.services import graph_engine

blueprint = Blueprint("offers", __name__)
blueprint.before_request(require_member)


@blueprint.app_template_global()
def category_label(category: str) -> str:
    """An offer's category as members read it."""
    return str(CATEGORY_LABELS.get(category, category))


@blueprint.app_template_global()
def price_unit_label(unit: str) -> str:
    """What a price pays for, as members read it ("per night")."""
    return str(PRICE_UNIT_LABELS.get(unit, unit))


@blueprint.app_template_global()
def visibility_label(visibility: int) -> str:
    """Who may see an offer, as members read it."""
    return str(VISIBILITY_LABELS.get(visibility, visibility))


@blueprint.app_template_global()
def link_label(step: PathStep, before: str | None) -> str:
    """How `step` of a trust path knows the step before it, named `before` (None: me): who
    sponsored whom, by invitation, by vouch, or as imported."""
    kind = step.via if step.via in ("invitation", "vouch") else "import"
    if before is None:
        return {
            ("invitation", True): _("invited by you"), ("invitation", False): _("invited you"),
            ("vouch", True): _("vouched for by you"), ("vouch", False): _("vouched for you"),
            ("import", True): _("sponsored by you"), ("import", False): _("sponsored you"),
        }[kind, step.sponsored_by_previous]
    return {
        ("invitation", True): _("invited by %(name)s", name=before),
        ("invitation", False): _("invited %(name)s", name=before),
        ("vouch", True): _("vouched for by %(name)s", name=before),
        ("vouch", False): _("vouched for %(name)s", name=before),
        ("import", True): _("sponsored by %(name)s", name=before),
        ("import", False): _("sponsored %(name)s", name=before),
    }[kind, step.sponsored_by_previous]


@blueprint.app_template_global()
def exchange_label(exchange: str) -> str:
    """What took place in a done exchange, as members read it."""
    return str(EXCHANGE_LABELS.get(exchange, exchange))


@blueprint.app_template_global()
def rating_label(rating: str) -> str:
    """A reference's rating, as members read it."""
    return str(RATING_LABELS.get(rating, rating))


def _day(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


def _max_degree() -> int:
    return int(current_app.config["TRUSTNET_MAX_DEGREE"])


def _offer_form(offer: offers.Offer | None = None) -> OfferForm:
    """The offer form, filled in with the offer when I edit one; a new one is at my town,
    and a request for help when the link says so (`?kind=request`)."""
    data: dict[str, object]
    if offer is None:
        place = places.home_of(graph_engine(), current_user.id)
        kind = request.args.get("kind")
        data = {"visibility": min(2, _max_degree()),
                "kind": kind if kind in offers.KINDS else "offer"}
    else:
        place = places.place_of_offer(graph_engine(), offer.id)
        data = {**asdict(offer), "available_from": _day(offer.available_from),
                "available_until": _day(offer.available_until),
                "price_unit": offer.price_unit or "once"}
    data["place"] = place.label if place else ""
    form = OfferForm(data=data)
    form.visibility.choices = visibility_choices(_max_degree())
    return form


def _offer_page(offer_id: str, form: MessageForm, status: int = 200):
    """The page of an offer I may see (404 otherwise), with the trust path to its owner."""
    view = offers.offer_for(graph_engine(), current_user.id, offer_id, _max_degree())
    mine = view.owner.id == current_user.id
    requests = conversations.requests_for(graph_engine(), current_user.id, offer_id) if mine else []
    return render_template("offers/offer.html", view=view, mine=mine, form=form,
                           confirm_form=ConfirmForm(), requests=requests,
                           star_form=StarForm(formdata=None, starred="0" if view.starred else "1")
                           ), status


@blueprint.get("/offers/mine")
def mine():
    """My offers, whatever their state, with how many members asked about each."""
    return render_template("offers/mine.html",
                           offers=offers.own_offers(graph_engine(), current_user.id),
                           confirm_form=ConfirmForm())


@blueprint.route("/offers/new", methods=["GET", "POST"])
def new():
    """Publish an offer to the circle I choose."""
    form = _offer_form()
    resolved, place = submitted_with_place(form)
    if resolved:
        try:
            offer_id = offers.create_offer(
                graph_engine(), current_user.id,
                form.draft(current_app.config["TRUSTNET_CURRENCY"], place.id if place else None),
                form_key=form.form_key.data)
        except DomainError as error:
            flash(refusal_message(error), "error")
        else:
            flash(_("Your request is published.") if form.kind.data == "request"
                  else _("Your offer is published."), "success")
            return redirect(url_for("offers.show", offer_id=offer_id))
    return render_template("offers/edit.html", form=form, offer=None)


@blueprint.get("/favourites")
def favourites_page():
    """The offers I starred that I may still see."""
    return render_template("offers/favourites.html", items=favourites.favourites(
        graph_engine(), current_user.id, _max_degree()))


@blueprint.post("/offers/<offer_id>/star")
def star(offer_id: str):
    """Add an offer I may see to my favourites, or take it out."""
    form = StarForm()
    if form.validate_on_submit():
        starred = form.starred.data == "1"
        favourites.set_star(graph_engine(), current_user.id, offer_id, starred, _max_degree())
        flash(_("Added to your favourites.") if starred
              else _("Taken out of your favourites."), "success")
    return redirect(url_for("offers.show", offer_id=offer_id))


@blueprint.get("/offers/<offer_id>")
def show(offer_id: str):
    """An offer I may see, how I reach its owner, and (for its owner) who asked about it."""
    return _offer_page(offer_id, MessageForm())


@blueprint.route("/offers/<offer_id>/edit", methods=["GET", "POST"])
def edit(offer_id: str):
    """Change one of my offers, or delete it."""
    offer = offers.own_offer(graph_engine(), current_user.id, offer_id)
    form = _offer_form(offer)
    resolved, place = submitted_with_place(form)
    if resolved:
        offers.update_offer(graph_engine(), current_user.id, offer_id,
                            form.draft(offer.currency, place.id if place else None))
        flash(_("Your offer is saved."), "success")
        return redirect(url_for("offers.show", offer_id=offer_id))
    return render_template("offers/edit.html", form=form, offer=offer,
                           confirm_form=ConfirmForm())


@blueprint.post("/offers/<offer_id>/status/<action>")
def change_status(offer_id: str, action: str):
    """Pause, resume or close one of my offers."""
    if ConfirmForm().validate_on_submit():
        try:
            offers.change_status(graph_engine(), current_user.id, offer_id, action)
        except DomainError as error:
            flash(refusal_message(error), "error")
        else:
            flash({"pause": _("Offer paused: nobody else sees it for now."),
                   "resume": _("Offer visible again."),
                   "close": _("Offer closed.")}[action], "success")
    return redirect(url_for("offers.mine"))


@blueprint.post("/offers/<offer_id>/delete")
def delete(offer_id: str):
    """Delete one of my offers, the conversations about it and its photos."""
    if ConfirmForm().validate_on_submit():
        delete_offer(current_user.id, offer_id)
        flash(_("Offer deleted."), "success")
    return redirect(url_for("offers.mine"))


@blueprint.post("/offers/<offer_id>/interest")
def interest(offer_id: str):
    """I'm interested: write to the owner in our private conversation about the offer."""
    form = MessageForm()
    if not form.validate_on_submit():
        return _offer_page(offer_id, form, 400)
    sent = write_to_owner(current_user, offer_id, form.body.data, max_hops=_max_degree(),
                          form_key=form.form_key.data)
    flash(_("%(name)s will read your message.", name=sent.to_name), "success")
    return redirect(url_for("offers.conversation", conversation_id=sent.conversation_id))


@blueprint.get("/conversations", endpoint="conversations")
def conversations_page():
    """Every conversation I take part in, most recent first, with how far each other
    participant is from me."""
    return render_template("offers/conversations.html",
                           conversations=conversations.conversations_of(
                               graph_engine(), current_user.id, _max_degree()))


def _conversation_page(conversation_id: str, form: MessageForm,
                       reference_form: ReferenceForm | None = None, status: int = 200):
    """A conversation I take part in (404 otherwise), with how I know the other side and
    where its exchange stands."""
    found = conversations.conversation_for(graph_engine(), current_user.id, conversation_id)
    reach = conversations.reach_of_other(graph_engine(), current_user.id, conversation_id,
                                         _max_degree())
    return render_template(
        "offers/conversation.html", conversation=found, reach=reach, form=form,
        confirm_form=ConfirmForm(),
        exchange=references.exchange_state(graph_engine(), current_user.id, conversation_id),
        done_form=DoneForm(), reference_form=reference_form or ReferenceForm()), status


@blueprint.route("/conversations/<conversation_id>", methods=["GET", "POST"])
def conversation(conversation_id: str):
    """A conversation I take part in: its messages, and my answer."""
    form = MessageForm()
    if form.validate_on_submit():
        try:
            reply(current_user, conversation_id, form.body.data, form_key=form.form_key.data)
        except DomainError as error:
            flash(refusal_message(error), "error")
        else:
            flash(_("Message sent."), "success")
            return redirect(url_for("offers.conversation", conversation_id=conversation_id))
    return _conversation_page(conversation_id, form)


@blueprint.post("/conversations/<conversation_id>/done")
def mark_done(conversation_id: str):
    """The owner says the exchange of this conversation took place: references may follow."""
    form = DoneForm()
    if not form.validate_on_submit():
        flash(_("Choose what took place."), "error")
    else:
        try:
            references.mark_done(graph_engine(), current_user.id, conversation_id,
                                 form.exchange.data)
        except DomainError as error:
            flash(refusal_message(error), "error")
        else:
            flash(_("Exchange marked as done: you may both leave a reference."), "success")
    return redirect(url_for("offers.conversation", conversation_id=conversation_id))


@blueprint.post("/conversations/<conversation_id>/reference")
def leave_reference(conversation_id: str):
    """My one reference about the other side of this done exchange."""
    form = ReferenceForm()
    if not form.validate_on_submit():
        return _conversation_page(conversation_id, MessageForm(), form, 400)
    try:
        references.leave_reference(graph_engine(), current_user.id, conversation_id,
                                   form.rating.data, form.text.data,
                                   form_key=form.form_key.data)
    except DomainError as error:
        flash(refusal_message(error), "error")
        return _conversation_page(conversation_id, MessageForm(), form, 409)
    flash(_("Thank you: your reference is on their profile."), "success")
    return redirect(url_for("offers.conversation", conversation_id=conversation_id))
