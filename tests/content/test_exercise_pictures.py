"""Exercise pictures: accepted by content (not name) and size, stored resized
and without metadata, through Django's storage, uploaded by a clinic admin."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from content.models import Exercise
from content.pictures import MAX_SIDE_PX, MAX_UPLOAD_BYTES, validate_exercise_picture
from tests.factories import ClinicAdminFactory, ClinicFactory, ExerciseFactory
from tests.picture_files import GPS_IFD, picture_bytes, picture_upload

pytestmark = pytest.mark.django_db


def stored_image(exercise) -> Image.Image:
    with default_storage.open(exercise.picture.name) as file:
        image = Image.open(io.BytesIO(file.read()))
        image.load()
    return image


@pytest.mark.parametrize(("kind", "name"), [("JPEG", "a.jpg"), ("PNG", "a.png"), ("WEBP", "a.webp"),
                                            ("PNG", "photo.jpg"), ("JPEG", "no-extension")])
def test_jpeg_png_and_webp_are_accepted_whatever_the_file_is_called(kind, name):
    validate_exercise_picture(SimpleUploadedFile(name, picture_bytes(kind, size=(20, 20))))


@pytest.mark.parametrize(("content", "name", "message"), [
    (picture_bytes("GIF", size=(20, 20)), "animation.png", "This is a GIF picture. Upload a JPEG, PNG or WebP"),
    (picture_bytes("BMP", size=(20, 20)), "scan.jpg", "This is a BMP picture"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "drawing.jpg", "not a picture"),
    (b"%PDF-1.7 a leaflet", "leaflet.png", "not a picture"),
])
def test_other_files_are_refused_by_their_content_with_a_clear_message(content, name, message):
    with pytest.raises(ValidationError) as error:
        validate_exercise_picture(SimpleUploadedFile(name, content))
    assert message in error.value.messages[0]


def test_a_picture_over_5_mb_is_refused_with_its_size_and_the_limit():
    upload = SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"0" * MAX_UPLOAD_BYTES)
    with pytest.raises(ValidationError) as error:
        validate_exercise_picture(upload)
    assert error.value.messages == [
        "This picture is 5.0 MB; the largest accepted is 5 MB. Save it smaller (for example 1200 pixels wide) "
        "and upload it again."
    ]


def test_a_small_file_claiming_a_huge_canvas_is_refused_before_it_is_decoded():
    buffer = io.BytesIO()
    Image.new("1", (12_000, 11_000)).save(buffer, format="PNG")  # 132 megapixels, a few kB
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(ValidationError) as error:
        validate_exercise_picture(SimpleUploadedFile("tiny.png", buffer.getvalue()))
    assert error.value.messages[0].startswith("This picture is 12,000 × 11,000 pixels; the largest accepted is "
                                              "50 megapixels")


def test_a_stored_picture_is_at_most_1200_px_and_keeps_its_shape_and_format(settings):
    exercise = ExerciseFactory(picture=picture_upload(size=(3000, 1500)), picture_alt="Bridge")
    image = stored_image(exercise)
    assert image.format == "JPEG"
    assert image.size == (MAX_SIDE_PX, 600)
    assert exercise.picture.name.startswith("exercises/") and exercise.picture.name.endswith(".jpg")
    assert "bridge" not in exercise.picture.name, "the uploader's file name is not kept"


def test_a_small_png_is_stored_as_png_at_its_own_size():
    exercise = ExerciseFactory(picture=picture_upload("a.png", "PNG", size=(300, 200)), picture_alt="Bridge")
    image = stored_image(exercise)
    assert (image.format, image.size) == ("PNG", (300, 200))


def test_metadata_is_stripped_and_the_camera_orientation_applied():
    upload = picture_upload(size=(400, 200), gps=True, orientation=6)  # 6: rotate 90° clockwise to view
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(GPS_IFD), "the upload has a GPS position"
    upload.seek(0)
    exercise = ExerciseFactory(picture=upload, picture_alt="Bridge")
    image = stored_image(exercise)
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info and "icc_profile" not in image.info
    assert image.size == (200, 400), "turned upright"
    assert image.getpixel((image.width - 5, 5))[0] > 200, "the red corner is now top right"


def test_a_picture_needs_its_description():
    exercise = ExerciseFactory.build(clinic=ClinicFactory(), picture=picture_upload(), picture_alt="")
    with pytest.raises(ValidationError) as error:
        exercise.full_clean()
    assert "Describe the picture in a few words" in error.value.message_dict["picture_alt"][0]


def test_a_clinic_admin_uploads_a_picture_in_the_admin_and_it_is_stored_resized(client):
    admin = ClinicAdminFactory(username="admin-riverside")
    exercise = ExerciseFactory(clinic=admin.clinic, name="Glute bridge")
    client.force_login(admin)
    url = f"/admin/content/exercise/{exercise.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name, "") or "" for name in form.fields if name not in ("picture",)}
    data.update(is_active="on", picture_alt="Lying on your back, lifting the hips",
                picture=picture_upload("IMG_0042.jpg", size=(2400, 1800)))
    data = {key: value for key, value in data.items() if value is not None}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    exercise.refresh_from_db()
    assert exercise.picture_alt == "Lying on your back, lifting the hips"
    assert stored_image(exercise).size == (1200, 900)


def test_the_admin_refuses_a_gif_next_to_the_field_and_writes_nothing(client):
    admin = ClinicAdminFactory(username="admin-riverside")
    exercise = ExerciseFactory(clinic=admin.clinic, name="Glute bridge")
    client.force_login(admin)
    url = f"/admin/content/exercise/{exercise.pk}/change/"
    response = client.post(url, {
        "name": exercise.name, "instructions": exercise.instructions, "dosage": exercise.dosage,
        "is_active": "on", "picture_alt": "A bridge",
        "picture": SimpleUploadedFile("bridge.png", picture_bytes("GIF", size=(20, 20))),
    })
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "This is a GIF picture. Upload a JPEG, PNG or WebP picture." in errors["picture"]
    assert not Exercise.objects.get(pk=exercise.pk).picture


@pytest.mark.parametrize(("size", "start"), [
    ((14_000, 13_000), "This picture is 182 megapixels; the largest accepted is 50"),
    ((9_000, 7_000), "This picture is 9,000 × 7,000 pixels; the largest accepted is 50"),
], ids=["beyond-pillow's-limit", "beyond-ours"])
def test_the_admin_refuses_a_huge_canvas_in_words_before_decoding_it(client, size, start):
    """182 megapixels reached Django's image check first, which answered
    "not an image or a corrupted image"; 63 took seconds to decode."""
    admin = ClinicAdminFactory(username="admin-riverside")
    exercise = ExerciseFactory(clinic=admin.clinic, name="Glute bridge")
    client.force_login(admin)
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, format="PNG")
    response = client.post(f"/admin/content/exercise/{exercise.pk}/change/", {
        "name": exercise.name, "instructions": exercise.instructions, "dosage": exercise.dosage,
        "is_active": "on", "picture_alt": "A bridge", "picture": SimpleUploadedFile("big.png", buffer.getvalue()),
    })
    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["picture"]
    assert message.startswith(start)
    assert not Exercise.objects.get(pk=exercise.pk).picture
