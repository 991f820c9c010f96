"""Photos on the web: an owner adds and removes their offer's photos, a member sets their
profile photo, and a photo is served to those who may see its offer or profile."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from graph import offers, photos
from graph.errors import DomainError, NotFound
from trustnet.errors import refusal_message
from trustnet.guards import require_member
from trustnet.i18n import error_message
from trustnet.member.forms import ConfirmForm
from trustnet.photos import album, files
from trustnet.photos.forms import PhotoForm
from trustnet.services import graph_engine

blueprint = Blueprint("photos", __name__)
blueprint.before_request(require_member)

# A photo's URL never changes (a new photo gets a new id): the member's browser may keep
# it, no shared cache may.
CACHE_CONTROL = "private, max-age=86400"


def _max_degree() -> int:
    return int(current_app.config["TRUSTNET_MAX_DEGREE"])


def _offer_photos_page(offer_id: str, form: PhotoForm, status: int = 200):
    """The page where I manage the photos of one of my offers (404 for anyone else's)."""
    offer = offers.own_offer(graph_engine(), current_user.id, offer_id)
    return render_template("photos/offer_photos.html", offer=offer, form=form,
                           confirm_form=ConfirmForm(formdata=None),
                           room=photos.MAX_OFFER_PHOTOS - len(offer.photos)), status


def _profile_photo_page(form: PhotoForm, status: int = 200):
    """The page where I set or remove my profile photo."""
    return render_template("photos/profile_photo.html", form=form,
                           confirm_form=ConfirmForm(formdata=None),
                           photo=photos.member_photo(graph_engine(), current_user.id)), status


@blueprint.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    """A request larger than any photo: the form again, saying why (nothing was read)."""
    form = PhotoForm(formdata=None)
    form.photo.errors = [error_message(files.too_large(album.max_bytes()))]
    if request.endpoint == "photos.offer_photos" and request.view_args:
        return _offer_photos_page(request.view_args["offer_id"], form, 413)
    return _profile_photo_page(form, 413)


def _upload(form: PhotoForm) -> bytes:
    """The uploaded file's bytes, reading at most one byte past the limit."""
    return form.photo.data.stream.read(album.max_bytes() + 1)


@blueprint.route("/offers/<offer_id>/photos", methods=["GET", "POST"])
def offer_photos(offer_id: str):
    """Add a photo to one of my offers, or see them to remove one."""
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            album.add_offer_photo(graph_engine(), album.photos_root(), current_user.id,
                                  offer_id, _upload(form), album.max_bytes())
        except DomainError as error:
            form.photo.errors = [refusal_message(error)]
            return _offer_photos_page(offer_id, form, 400)
        flash(_("Photo added."), "success")
        return redirect(url_for("photos.offer_photos", offer_id=offer_id))
    return _offer_photos_page(offer_id, form, 400 if form.errors else 200)


@blueprint.post("/offers/<offer_id>/photos/<photo_id>/delete")
def delete_offer_photo(offer_id: str, photo_id: str):
    """Remove a photo of one of my offers."""
    if ConfirmForm().validate_on_submit():
        album.remove_offer_photo(graph_engine(), album.photos_root(), current_user.id,
                                 offer_id, photo_id)
        flash(_("Photo removed."), "success")
    return redirect(url_for("photos.offer_photos", offer_id=offer_id))


@blueprint.route("/settings/photo", methods=["GET", "POST"])
def profile_photo():
    """Set my profile photo, seen by those who may see my profile."""
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            album.set_member_photo(graph_engine(), album.photos_root(), current_user.id,
                                   _upload(form), album.max_bytes())
        except DomainError as error:
            form.photo.errors = [refusal_message(error)]
            return _profile_photo_page(form, 400)
        flash(_("Your photo is saved."), "success")
        return redirect(url_for("photos.profile_photo"))
    return _profile_photo_page(form, 400 if form.errors else 200)


@blueprint.post("/settings/photo/delete")
def delete_profile_photo():
    """Remove my profile photo."""
    if ConfirmForm().validate_on_submit():
        album.remove_member_photo(graph_engine(), album.photos_root(), current_user.id)
        flash(_("Your photo is removed."), "success")
    return redirect(url_for("photos.profile_photo"))


def _photo_response(path) -> Response:
    """A photo file as a private JPEG; the offer's 404 if its file is gone."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFound("no such photo") from None
    response = Response(data, mimetype="image/jpeg")
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def _offer_photo(offer_id: str, photo_id: str, size: str) -> Response:
    """A photo of an offer I may see; the offer's 404 for anyone else."""
    owner_id = photos.offer_photo_owner(graph_engine(), current_user.id, offer_id, photo_id,
                                        _max_degree())
    return _photo_response(files.photo_path(
        files.offer_folder(album.photos_root(), owner_id, offer_id), photo_id, size))


def _member_photo(member_id: str, photo_id: str, size: str) -> Response:
    """The photo of a member whose profile I may see; the profile's 404 for anyone else."""
    photos.check_member_photo(graph_engine(), current_user.id, member_id, photo_id,
                              _max_degree())
    return _photo_response(files.photo_path(
        files.profile_folder(album.photos_root(), member_id), photo_id, size))


@blueprint.get("/offers/<offer_id>/photos/<photo_id>")
def offer_photo(offer_id: str, photo_id: str):
    """A photo of an offer I may see, full size."""
    return _offer_photo(offer_id, photo_id, "photo")


@blueprint.get("/offers/<offer_id>/photos/<photo_id>/thumbnail")
def offer_thumbnail(offer_id: str, photo_id: str):
    """A photo of an offer I may see, as a feed card shows it."""
    return _offer_photo(offer_id, photo_id, "thumbnail")


@blueprint.get("/members/<member_id>/photos/<photo_id>")
def member_photo(member_id: str, photo_id: str):
    """A member's profile photo, full size."""
    return _member_photo(member_id, photo_id, "photo")


@blueprint.get("/members/<member_id>/photos/<photo_id>/thumbnail")
def member_thumbnail(member_id: str, photo_id: str):
    """A member's profile photo, small."""
    return _member_photo(member_id, photo_id, "thumbnail")
