"""Files only some people may see (certification evidence, receipts, import spreadsheets): where they are kept and
how they are handed out.

They live in the storage named "private" (settings.STORAGES), outside MEDIA_ROOT, under random names, and reach a
browser only through a view that has checked the viewer may see them.
"""

import uuid
from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

from suppliers.evidence import detect, type_of_stored


class PrivateFileSystemStorage(FileSystemStorage):
    """A file system storage with no public address: a link to a private file must go through its view."""

    def url(self, name):
        raise ValueError("A private file has no public URL; link to the view that serves it.")


def private_storage():
    return storages["private"]


def random_name(folder, filename):
    """A private file's stored name: random, with the extension of its verified type, never the upload's own name.

    Services name an upload after its verified type before saving it, so `filename` carries that extension.
    """
    return f"{folder}/{uuid.uuid4().hex}{type_of_stored(filename).extension}"


def evidence_name(instance, filename):
    return random_name("certification", filename)


def attach_private_upload(instance, field, upload, file_type):
    """Put a verified upload on `instance`: stored under a random name, its original name kept for display."""
    setattr(instance, f"{field}_name", PurePath(upload.name or "").name[:255])
    upload.name = f"upload{file_type.extension}"
    setattr(instance, field, upload)


def download_name(field_file, original_name=""):
    """The name a file is saved under on the viewer's computer: the uploader's name with the verified extension."""
    file_type = type_of_stored(field_file.name)
    stem = PurePath(original_name).stem.strip() or PurePath(field_file.name).stem
    return f"{stem[:100]}{file_type.extension}"


def private_file_response(field_file, *, original_name=""):
    """The file for a viewer already allowed to see it: a redirect to a signed address when the files are in a bucket,
    else sent by nginx in production (X-Accel-Redirect), by Django otherwise."""
    if not field_file:
        raise Http404
    file_type = type_of_stored(field_file.name)
    inline = file_type.inline
    filename = download_name(field_file, original_name)
    prefix = settings.PRIVATE_MEDIA_X_ACCEL_REDIRECT
    if settings.PRIVATE_STORAGE_BUCKET:
        # The caller has checked the viewer; the signed address is theirs alone and expires within a minute or so.
        response = HttpResponseRedirect(
            private_storage().url(
                field_file.name,
                parameters={
                    "ResponseContentType": file_type.content_type,
                    "ResponseContentDisposition": content_disposition_header(not inline, filename),
                    "ResponseCacheControl": "private, no-store",
                },
            )
        )
    elif prefix:
        response = HttpResponse(content_type=file_type.content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(field_file.name)
        response["Content-Disposition"] = content_disposition_header(not inline, filename)
    else:
        try:
            handle = field_file.storage.open(field_file.name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle, as_attachment=not inline, filename=filename, content_type=file_type.content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def move_public_files(queryset, *, field, name_field, folder, allowed):
    """Move the files `field` kept on the public media root into private storage under random names.

    For data migrations: the original name is kept in `name_field` for display, the type is established from the
    content as for a new upload (a file of no accepted type is kept, and served only as a download).
    """
    public, private = storages["default"], storages["private"]
    for instance in queryset.exclude(**{field: ""}).iterator():
        old_name = getattr(instance, field).name
        if not public.exists(old_name):
            continue
        with public.open(old_name, "rb") as handle:
            content = ContentFile(handle.read(), name=old_name)
        head = content.read(8)
        content.seek(0)
        try:
            detected = detect(content, head, allowed)
        except ValidationError:
            detected = None
        extension = detected.extension if detected else ""
        new_name = private.save(random_name(folder, f"file{extension}"), content)
        changes = {field: new_name}
        if name_field:
            changes[name_field] = PurePath(old_name).name[:255]
        type(instance).objects.filter(pk=instance.pk).update(**changes)
        public.delete(old_name)
