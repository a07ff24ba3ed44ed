"""The size limit of an uploaded caseload file, enforced while the request
body is read: a file over IMPORT_MAX_UPLOAD_MB is neither stored nor parsed,
and the page says why instead of Django's bare 400 or a worker out of memory.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Room for the multipart boundaries, headers and the CSRF field around the file.
MULTIPART_OVERHEAD = 64 * 1024


def upload_limit_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024


def upload_limit_message() -> str:
    return (f"The file is larger than {settings.IMPORT_MAX_UPLOAD_MB} MB, the limit for an upload. "
            "Split it into smaller files, or ask whoever runs Kinetic to import it with "
            "the command line (manage.py import_caseload).")


class UploadSizeLimit(FileUploadHandler):
    """First in the request's upload handlers; sets `request.upload_too_large`.

    A body whose declared length is over the limit is refused before its file
    part is read; a file that turns out larger is stopped at the limit. The
    rest of the body is read and discarded, so the browser gets the page.
    """

    def __init__(self, request):
        super().__init__(request)
        self.limit = upload_limit_bytes()
        self.received = 0
        request.upload_too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > self.limit + MULTIPART_OVERHEAD:
            self.request.upload_too_large = True

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        if self.request.upload_too_large:
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
