"""Upload limits enforced while the request body streams in, not after it has arrived.

Django reads a multipart body when a view or middleware (CSRF's, first) touches request.POST
or request.FILES, and by default spools every byte of every file before anyone looks at its
size or at who sent it. This handler runs first (FILE_UPLOAD_HANDLERS):

- a body sent to the upload page by anyone but active staff, one larger than a form's fields
  may be (DATA_UPLOAD_MAX_MEMORY_SIZE) sent anywhere by anyone but staff, and one whose declared
  length is over UPLOAD_REQUEST_MAX_BYTES are not read at all: the request sees no fields and
  no files (and, lacking its CSRF token, is refused);
- a file that grows past UPLOAD_MAX_BYTES stops the reading there.

Either way `request.upload_refused` says why, for the upload view to tell the user.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _


class LimitedUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        refusal = self._refusal(content_length)
        if refusal is None:
            return None  # the other handlers read the body
        self.request.upload_refused = refusal
        return QueryDict(encoding=encoding), MultiValueDict()

    def _refusal(self, content_length: int) -> str | None:
        user = getattr(self.request, "user", None)
        if user is None or not (user.is_active and user.is_staff):
            # A small form (sign-in, language) may be multipart too; files are for staff only.
            upload = self.request.path == reverse("admin:ingest_sourcedocument_upload")
            if upload or content_length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return _("Sign in as staff to upload files.")
            return None
        limit = settings.UPLOAD_REQUEST_MAX_BYTES
        if content_length > limit:
            return _("The upload is %(size)s, over the limit of %(limit)s for one upload.") % {
                "size": filesizeformat(content_length),
                "limit": filesizeformat(limit),
            }
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        limit = settings.UPLOAD_MAX_BYTES
        if self.received > limit:
            self.request.upload_refused = _(
                "%(name)s is over the limit of %(limit)s; nothing of this upload was kept."
            ) % {"name": self.file_name, "limit": filesizeformat(limit)}
            # connection_reset: stop reading the body here rather than drain the rest of it.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) keeps the file
