"""Photo files: an upload checked by its content, re-encoded without any metadata, and put on
disk only once the graph has recorded it.

Pillow decides what a file is from its bytes (never its name or type), and only JPEG, PNG,
WebP and GIF are opened. The picture is turned upright (its EXIF orientation), shrunk to
MAX_EDGE and THUMBNAIL_EDGE, then copied pixel by pixel into a new image that has no
metadata at all (EXIF with its GPS position, XMP, ICC profile, comments) and saved as JPEG.

Files live under the photos folder (TRUSTNET_PHOTOS_DIR), one folder per member, so that
leaving removes them all at once: `<member>/offers/<offer>/<photo>.jpg` (and
`<photo>.thumb.jpg`) and `<member>/profile/<photo>.jpg`. Names come from random ids.
An upload writes temporary files in the final folder, has the graph record the photo (one
statement, which may refuse), then renames them into place; whatever fails, the temporary
files are removed. Deleting an offer or leaving while an upload runs removes its folder,
temporary files included, so its rename then fails and leaves nothing behind.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from graph.errors import Invalid, NotFound

FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_EDGE = 1600  # pixels: enough for a phone or a laptop screen
THUMBNAIL_EDGE = 480  # pixels: a feed card's picture, twice its displayed width
MAX_PIXELS = 40_000_000  # what is decoded at most (a 1 MB file can claim 1 GB of pixels)
QUALITY = 85
SIZES = ("photo", "thumbnail")
_SUFFIXES = {"photo": ".jpg", "thumbnail": ".thumb.jpg"}
_TEMPORARY = ".upload-"
_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")


def clean_photo(data: bytes, max_bytes: int) -> dict[str, bytes]:
    """The photo and its thumbnail as JPEG files without metadata, by SIZES; Invalid when
    the data is too large or not a picture."""
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            if image.width * image.height > MAX_PIXELS:
                raise Invalid("this picture has too many pixels")
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError):
        raise Invalid("this file is not a photo: send a JPEG, PNG, WebP or GIF picture") \
            from None
    return {"photo": _jpeg(upright, MAX_EDGE), "thumbnail": _jpeg(upright, THUMBNAIL_EDGE)}


def too_large(max_bytes: int) -> Invalid:
    """The refusal of a file over `max_bytes`."""
    return Invalid("a photo may weigh at most %(megabytes)d MB", megabytes=max_bytes // 1_000_000)


def _jpeg(image: Image.Image, edge: int) -> bytes:
    """The image within edge x edge pixels, on white where it was transparent, in a new
    image that holds nothing but pixels, as JPEG."""
    rgba = image.convert("RGBA")
    rgba.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", rgba.size, "white")
    clean.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=QUALITY, optimize=True)
    return out.getvalue()


def _checked(*ids: str) -> None:
    """Refuse an id that could not have come from the graph before it names a path."""
    if not all(_ID.fullmatch(value) for value in ids):
        raise NotFound("no such photo")


def offer_folder(root: Path, owner_id: str, offer_id: str) -> Path:
    """Where the photos of an offer live."""
    _checked(owner_id, offer_id)
    return root / owner_id / "offers" / offer_id


def profile_folder(root: Path, member_id: str) -> Path:
    """Where a member's profile photo lives."""
    _checked(member_id)
    return root / member_id / "profile"


def photo_path(folder: Path, photo_id: str, size: str) -> Path:
    """The file of a photo at one of SIZES."""
    _checked(photo_id)
    return folder / (photo_id + _SUFFIXES[size])


@contextmanager
def staged(folder: Path, files: dict[str, bytes]) -> Iterator[Callable[[str], None]]:
    """Write `files` (by SIZES) to temporary names in `folder`, and give the function that
    renames them into place as a photo's. Whatever happens, no temporary file stays, nor
    the folder if it was made for nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    temporary = {size: folder / f"{_TEMPORARY}{secrets.token_hex(8)}" for size in files}
    try:
        for size, data in files.items():
            with open(temporary[size], "xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())

        def put_in_place(photo_id: str) -> None:
            for size, path in temporary.items():
                os.replace(path, photo_path(folder, photo_id, size))

        yield put_in_place
    finally:
        for path in temporary.values():
            path.unlink(missing_ok=True)
        _remove_if_empty(folder)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # it holds photos (or is already gone)


def remove_photo(folder: Path, photo_id: str) -> None:
    """Remove a photo's files."""
    for size in SIZES:
        photo_path(folder, photo_id, size).unlink(missing_ok=True)
    _remove_if_empty(folder)


def keep_only(folder: Path, photo_id: str | None) -> None:
    """Remove every photo file of `folder` but those of `photo_id` (uploads in progress
    stay): after a profile photo is replaced, whichever upload finishes last tidies up."""
    if not folder.is_dir():
        return
    kept = {photo_path(folder, photo_id, size).name for size in SIZES} if photo_id else set()
    for path in folder.iterdir():
        if path.name not in kept and not path.name.startswith(_TEMPORARY):
            path.unlink(missing_ok=True)
    _remove_if_empty(folder)


def remove_folder(folder: Path) -> None:
    """Remove a folder of photos and everything under it (an offer's, a member's)."""
    shutil.rmtree(folder, ignore_errors=True)


def member_folder(root: Path, member_id: str) -> Path:
    """Everything a member uploaded: their profile photo and their offers' photos."""
    _checked(member_id)
    return root / member_id
