"""Photos of offers and profiles: uploaded through the real multipart forms, cleaned by Pillow,
stored on disk, served only to those who may see their offer or profile, and removed with
them."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from conftest import csrf_token, post_form, text, without_csrf
from factories import PASSWORD, sponsor_chain
from offer_factories import offer, set_status
from PIL import ExifTags, Image, ImageCms
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from graph import offers, photos
from graph.errors import Conflict
from trustnet.photos import album, files

GPS_LATITUDE = ((45.0, 1.0), (45.0, 1.0), (30.0, 1.0))


def picture(size: tuple[int, int] = (800, 600), kind: str = "JPEG", **options) -> bytes:
    """A real picture made by Pillow, of a photo's colours."""
    image = Image.new("RGB", size, (40, 120, 90))
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def camera_jpeg() -> bytes:
    """A JPEG as a phone writes it: EXIF with the camera and the GPS position, XMP, an ICC
    profile and a comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Model X"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (45.0, 45.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 50.0, 12.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
           b'02/22-rdf-syntax-ns#"><rdf:Description exif:GPSLatitude="45,45.5N" xmlns:exif='
           b'"http://ns.adobe.com/exif/1.0/"/></rdf:RDF></x:xmpmeta>')
    data = picture((2400, 1800), exif=exif, icc_profile=icc, xmp=xmp,
                   comment=b"Home, 12 rue des Lilas")
    sent = Image.open(io.BytesIO(data))  # the test's own check that all of it is there
    assert sent.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert {"icc_profile", "xmp", "comment"} <= set(sent.info)
    return data


@pytest.fixture
def chain(engine):
    """You -> Alice -> Bob -> Carol -> Dave, each sponsoring the next."""
    return tuple(sponsor_chain(engine, "You", "Alice", "Bob", "Carol", "Dave"))


@pytest.fixture
def photos_dir(app) -> Path:
    return Path(app.config["TRUSTNET_PHOTOS_DIR"])


def upload(client, url: str, data: bytes, name: str = "photo.jpg",
           content_type: str = "image/jpeg"):
    """Send a file through the page's multipart form, as a browser does."""
    token = csrf_token(text(client.get(url)))
    body, length, boundary = stream_encode_multipart(
        {"csrf_token": token, "photo": FileStorage(io.BytesIO(data), name, "photo",
                                                   content_type=content_type)},
        use_tempfile=False)  # the test client's temporary file stays open when refused
    return client.post(url, input_stream=body, content_length=length,
                       content_type=f"multipart/form-data; boundary={boundary}")


def size_of(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def photo_ids(engine, owner, offer_id) -> tuple[str, ...]:
    return offers.own_offer(engine, owner.id, offer_id).photos


def test_a_stored_photo_keeps_no_metadata_and_is_resized(browser, chain, engine, photos_dir):
    you, alice, bob, *_ = chain
    offer_id = offer(engine, bob)

    response = upload(browser(bob), f"/offers/{offer_id}/photos", camera_jpeg())

    assert response.status_code == 302
    [photo_id] = photo_ids(engine, bob, offer_id)
    stored = photos_dir / bob.id / "offers" / offer_id / f"{photo_id}.jpg"
    thumbnail = stored.with_name(f"{photo_id}.thumb.jpg")
    assert stored_files(photos_dir) == sorted([stored, thumbnail])
    for path in (stored, thumbnail):
        raw = path.read_bytes()
        with Image.open(io.BytesIO(raw)) as image:
            assert image.format == "JPEG"
            assert not image.getexif() and not image.info.keys() & {
                "exif", "icc_profile", "xmp", "comment"}
        for trace in (b"Exif", b"GPS", b"PhoneMaker", b"xmpmeta", b"Lilas", b"acsp"):
            assert trace not in raw, (path.name, trace)
    assert size_of(stored.read_bytes()) == (1600, 1200)
    assert max(size_of(thumbnail.read_bytes())) == files.THUMBNAIL_EDGE


def test_the_feed_shows_the_first_thumbnail_and_the_offer_page_every_photo(
        browser, chain, engine):
    you, alice, bob, carol, dave = chain
    offer_id = offer(engine, bob, "A ladder", visibility=2)
    bob_browser = browser(bob)
    for colour in ("PNG", "JPEG", "WEBP"):
        assert upload(bob_browser, f"/offers/{offer_id}/photos", picture(kind=colour),
                      name="x.bin", content_type="application/octet-stream"
                      ).status_code == 302
    first, *others = photo_ids(engine, bob, offer_id)
    alice_browser = browser(alice)

    feed = text(alice_browser.get("/"))
    page = text(alice_browser.get(f"/offers/{offer_id}"))

    assert f"/offers/{offer_id}/photos/{first}/thumbnail" in feed, feed[feed.find("<main"):]
    assert not any(photo_id in feed for photo_id in others)
    for photo_id in (first, *others):
        assert f'href="/offers/{offer_id}/photos/{photo_id}"' in page
    served = alice_browser.get(f"/offers/{offer_id}/photos/{first}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["Cache-Control"] == "private, max-age=86400"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert size_of(served.data) == (800, 600)


def test_a_photo_is_the_offers_404_for_anyone_who_may_not_see_the_offer(
        browser, chain, engine):
    you, alice, bob, carol, dave = chain
    offer_id = offer(engine, bob, visibility=1)  # Alice and Carol only
    assert upload(browser(bob), f"/offers/{offer_id}/photos", picture()).status_code == 302
    [photo_id] = photo_ids(engine, bob, offer_id)
    url = f"/offers/{offer_id}/photos/{photo_id}"
    assert browser(carol).get(url).status_code == 200
    for outsider in (you, dave):  # two and three steps from Bob
        offer_404 = browser(outsider).get(f"/offers/{offer_id}")  # their own page: their badge
        assert offer_404.status_code == 404
        for path in (url, url + "/thumbnail"):
            refused = browser(outsider).get(path)
            assert refused.status_code == 404
            assert without_csrf(text(refused)) == without_csrf(text(offer_404))
    assert browser(carol).get(f"/offers/{offer_id}/photos/{'0' * 20}").status_code == 404
    assert browser().get(url).status_code == 302  # a visitor is sent to sign in
    offers.change_status(engine, bob.id, offer_id, "pause")
    assert browser(carol).get(url).status_code == 404


def test_a_file_that_is_not_a_picture_is_refused_whatever_its_name(
        browser, chain, engine, photos_dir):
    you, alice, bob, *_ = chain
    offer_id = offer(engine, bob)

    for fake in (b"#!/bin/sh\necho hello\n", b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                 picture()[:200]):
        response = upload(browser(bob), f"/offers/{offer_id}/photos", fake, name="cat.jpg")
        assert response.status_code == 400
        assert "this file is not a photo: send a JPEG, PNG, WebP or GIF picture" in text(response)

    assert photo_ids(engine, bob, offer_id) == ()
    assert stored_files(photos_dir) == []


class TestSizeLimit:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "TRUSTNET_PHOTO_MAX_MB": 1}

    def test_an_oversize_photo_is_refused_with_a_clear_message(
            self, browser, chain, engine, photos_dir):
        you, alice, bob, *_ = chain
        offer_id = offer(engine, bob)
        bob_browser = browser(bob)
        just_over = picture() + b"\0" * 1_000_000  # under the request's limit, over the file's
        far_over = b"\0" * 3_000_000  # over the request's limit: not even read

        for data, status in ((just_over, 400), (far_over, 413)):
            response = upload(bob_browser, f"/offers/{offer_id}/photos", data)
            assert response.status_code == status
            page = text(response)
            assert "at most 1 MB" in page and 'enctype="multipart/form-data"' in page
        profile = upload(bob_browser, "/settings/photo", far_over)
        assert profile.status_code == 413 and "at most 1 MB" in text(profile)

        assert photo_ids(engine, bob, offer_id) == ()
        assert stored_files(photos_dir) == []


def test_an_offer_takes_six_photos_and_no_more(browser, chain, engine, photos_dir):
    you, alice, bob, *_ = chain
    offer_id = offer(engine, bob)
    bob_browser = browser(bob)
    for _ in range(photos.MAX_OFFER_PHOTOS):
        assert upload(bob_browser, f"/offers/{offer_id}/photos", picture()).status_code == 302

    refused = upload(bob_browser, f"/offers/{offer_id}/photos", picture())

    assert refused.status_code == 400 and "an offer has at most 6 photos" in text(refused)
    assert len(photo_ids(engine, bob, offer_id)) == 6
    assert len(stored_files(photos_dir)) == 12


def test_two_uploads_racing_for_the_last_slot_store_one_photo(app, chain, engine, tmp_path):
    you, alice, bob, *_ = chain
    offer_id = offer(engine, bob)
    root = tmp_path / "race"
    data = picture()
    for _ in range(photos.MAX_OFFER_PHOTOS - 1):
        album.add_offer_photo(engine, root, bob.id, offer_id, data, 10**7)
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def race() -> None:
        start.wait()
        try:
            outcomes.append(album.add_offer_photo(engine, root, bob.id, offer_id, data, 10**7))
        except Conflict as refusal:
            outcomes.append(refusal)

    racers = [threading.Thread(target=race) for _ in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Conflict", "str"]
    recorded = photo_ids(engine, bob, offer_id)
    assert len(recorded) == 6
    assert {path.name.split(".")[0] for path in stored_files(root)} == set(recorded)
    assert len(stored_files(root)) == 12  # no temporary file left by the refused one


def test_an_upload_to_someone_elses_offer_is_the_offers_404_and_leaves_nothing(
        browser, chain, engine, photos_dir):
    you, alice, bob, *_ = chain
    offer_id = offer(engine, bob)
    alice_browser = browser(alice)
    assert alice_browser.get(f"/offers/{offer_id}/photos").status_code == 404
    token = csrf_token(text(alice_browser.get("/settings/photo")))

    response = alice_browser.post(
        f"/offers/{offer_id}/photos", content_type="multipart/form-data",
        data={"csrf_token": token, "photo": (io.BytesIO(picture()), "a.jpg", "image/jpeg")})

    assert response.status_code == 404
    assert photo_ids(engine, bob, offer_id) == ()
    assert stored_files(photos_dir) == []


def test_removing_a_photo_or_the_offer_removes_the_files(browser, chain, engine, photos_dir):
    you, alice, bob, *_ = chain
    offer_id = offer(engine, bob)
    bob_browser = browser(bob)
    for _ in range(2):
        upload(bob_browser, f"/offers/{offer_id}/photos", picture())
    first, second = photo_ids(engine, bob, offer_id)

    post_form(bob_browser, f"/offers/{offer_id}/photos/{first}/delete", {},
              page=f"/offers/{offer_id}/photos")

    assert photo_ids(engine, bob, offer_id) == (second,)
    assert [path.name for path in stored_files(photos_dir)] == [
        f"{second}.jpg", f"{second}.thumb.jpg"]
    assert browser(alice).get(f"/offers/{offer_id}/photos/{first}").status_code == 404

    post_form(bob_browser, f"/offers/{offer_id}/delete", {}, page=f"/offers/{offer_id}/edit")

    assert stored_files(photos_dir) == []


def test_a_profile_photo_is_shown_to_those_who_may_see_the_profile(
        browser, chain, engine, photos_dir):
    you, alice, bob, carol, dave = chain
    bob_browser = browser(bob)
    assert upload(bob_browser, "/settings/photo", picture()).status_code == 302
    first = photos.member_photo(engine, bob.id)
    assert upload(bob_browser, "/settings/photo", camera_jpeg()).status_code == 302
    photo_id = photos.member_photo(engine, bob.id)

    assert [path.name for path in stored_files(photos_dir)] == [
        f"{photo_id}.jpg", f"{photo_id}.thumb.jpg"]  # the first one is gone
    url = f"/members/{bob.id}/photos/{photo_id}"
    assert url in text(browser(dave).get(f"/members/{bob.id}"))
    assert browser(dave).get(url).status_code == 200
    profile_404 = browser(you).get(f"/members/{dave.id}")
    assert profile_404.status_code == 404
    dave_from_you = browser(you)
    set_status(engine, alice, "suspended")  # cuts You off from Bob
    refused = dave_from_you.get(url)
    assert refused.status_code == 404
    assert without_csrf(text(refused)) == without_csrf(text(profile_404))
    assert browser(dave).get(f"/members/{bob.id}/photos/{first}").status_code == 404

    post_form(bob_browser, "/settings/photo/delete", {}, page="/settings/photo")

    assert photos.member_photo(engine, bob.id) is None
    assert stored_files(photos_dir) == []


def test_leaving_removes_every_photo_of_the_member(browser, chain, engine, photos_dir):
    you, alice, bob, *_ = chain
    offer_id = offer(engine, bob)
    bob_browser = browser(bob)
    upload(bob_browser, f"/offers/{offer_id}/photos", picture())
    upload(bob_browser, "/settings/photo", picture())
    upload(browser(alice), "/settings/photo", picture())
    assert len(stored_files(photos_dir)) == 6

    gone = post_form(bob_browser, "/account/leave", {"password": PASSWORD})

    assert gone.headers["Location"] == "/login"
    assert photos.member_photo(engine, bob.id) is None
    assert not (photos_dir / bob.id).exists()
    assert {path.relative_to(photos_dir).parts[0] for path in stored_files(photos_dir)} == {
        alice.id}
    assert len(stored_files(photos_dir)) == 2
