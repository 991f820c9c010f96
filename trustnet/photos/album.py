"""What happens to a photo, graph and disk together: uploaded, replaced, removed, and gone
with its offer or its member. The web routes and the account's erasure call these."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from graph import photos
from graph.engine import GraphEngine
from graph.ids import new_id
from trustnet.photos import files


def photos_root() -> Path:
    """The current app's photos folder (TRUSTNET_PHOTOS_DIR)."""
    return Path(current_app.config["TRUSTNET_PHOTOS_DIR"])


def max_bytes() -> int:
    """The largest photo file the current app takes (TRUSTNET_PHOTO_MAX_MB)."""
    return int(current_app.config["TRUSTNET_PHOTO_MAX_MB"]) * 1_000_000


def add_offer_photo(engine: GraphEngine, root: Path, owner_id: str, offer_id: str,
                    data: bytes, limit: int) -> str:
    """Check and clean an upload, record it on one of my offers, then put its files in
    place; return its id. Invalid, NotFound (not my offer) or Conflict (full) leave no file
    and no trace in the graph."""
    cleaned = files.clean_photo(data, limit)
    with files.staged(files.offer_folder(root, owner_id, offer_id), cleaned) as put_in_place:
        photo_id = photos.add_offer_photo(engine, owner_id, offer_id)
        put_in_place(photo_id)
    return photo_id


def remove_offer_photo(engine: GraphEngine, root: Path, owner_id: str, offer_id: str,
                       photo_id: str) -> None:
    """Take a photo off one of my offers, and its files off the disk."""
    photos.remove_offer_photo(engine, owner_id, offer_id, photo_id)
    files.remove_photo(files.offer_folder(root, owner_id, offer_id), photo_id)


def remove_offer_photos(root: Path, owner_id: str, offer_id: str) -> None:
    """Remove the files of an offer just deleted."""
    files.remove_folder(files.offer_folder(root, owner_id, offer_id))


def set_member_photo(engine: GraphEngine, root: Path, member_id: str, data: bytes,
                     limit: int) -> str:
    """Check and clean an upload, make it my profile photo, put its files in place and
    remove the previous photo's; return its id."""
    cleaned = files.clean_photo(data, limit)
    folder = files.profile_folder(root, member_id)
    with files.staged(folder, cleaned) as put_in_place:
        photo_id = new_id()
        photos.set_member_photo(engine, member_id, photo_id)
        put_in_place(photo_id)
    files.keep_only(folder, photos.member_photo(engine, member_id))
    return photo_id


def remove_member_photo(engine: GraphEngine, root: Path, member_id: str) -> None:
    """Remove my profile photo, from the graph and the disk."""
    photos.set_member_photo(engine, member_id, None)
    files.keep_only(files.profile_folder(root, member_id), photos.member_photo(engine, member_id))


def remove_member_photos(root: Path, member_id: str) -> None:
    """Remove every photo a member uploaded (they left)."""
    files.remove_folder(files.member_folder(root, member_id))


def photo_file_names(root: Path, member_id: str, profile_photo: str | None,
                     offers: list[dict]) -> list[str]:
    """The files of a member's photos, named within their folder, for their data export:
    their profile photo's and each of their offers' ({id, photos}), at every size."""
    folders = [(files.profile_folder(root, member_id), [profile_photo] if profile_photo else [])]
    folders += [(files.offer_folder(root, member_id, offer["id"]), offer["photos"])
                for offer in offers]
    member = files.member_folder(root, member_id)
    return [str(files.photo_path(folder, photo_id, size).relative_to(member))
            for folder, photo_ids in folders for photo_id in photo_ids for size in files.SIZES]
