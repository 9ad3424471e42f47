"""Helpers for the import tests: upload a file as the person would, then review and confirm."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mydata.models import Upload


def upload(client, content: bytes, name: str = "applications.csv"):
    return client.post(
        reverse("mydata:import"), {"file": SimpleUploadedFile(name, content, "text/csv")}
    )


def uploaded(client, content: bytes, name: str = "applications.csv") -> str:
    """The review page's address of a file the upload accepted."""
    response = upload(client, content, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def mapping(*fields: str, day_first: bool = True) -> dict[str, str]:
    data = {f"col_{i}": field for i, field in enumerate(fields)}
    data["day_first"] = "1" if day_first else "0"
    return data


def import_file(client, content: bytes, fields: tuple[str, ...], **kwargs):
    """Upload, preview with this mapping, confirm: the response to the confirmation."""
    review = uploaded(client, content)
    preview = client.get(review, mapping(*fields, **kwargs))
    assert preview.status_code == 200
    return client.post(review, mapping(*fields, **kwargs))


def uploads_left() -> int:
    return Upload.objects.count()
