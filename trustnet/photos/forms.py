"""The photo upload form: a plain multipart form, so it works without JavaScript."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from trustnet.i18n import lazy_gettext as _l


class PhotoForm(FlaskForm):
    photo = FileField(_l("Photo"), validators=[FileRequired(_l("Choose a photo to send."))],
                      description=_l("A JPEG, PNG, WebP or GIF picture. Its hidden data "
                                     "(place, camera, date) is removed."))
