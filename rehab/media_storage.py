"""Production storage for uploaded pictures in an S3-compatible bucket
(AWS S3, Scaleway, OVH, Backblaze B2, MinIO, ...) through django-storages.

Read by rehab/settings/production.py when MEDIA_S3_BUCKET is set.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def s3_media_settings(*, bucket, endpoint_url="", region="", access_key="", secret_key="", custom_domain=""):
    """(the STORAGES["default"] entry, the origin pages load pictures from).

    Without a custom domain the bucket stays private: every picture URL is
    signed and works for an hour. With MEDIA_S3_CUSTOM_DOMAIN (a CDN or a
    public bucket's domain) URLs are plain and the bucket must allow reading.
    """
    if not endpoint_url and not region:
        raise ImproperlyConfigured(
            "MEDIA_S3_BUCKET is set: set MEDIA_S3_REGION (AWS, e.g. eu-west-2) or MEDIA_S3_ENDPOINT_URL "
            "(another S3-compatible service, e.g. https://s3.fr-par.scw.cloud)."
        )
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured("Set both MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY, or neither "
                                   "(then the instance's or container's role is used).")
    options = {
        "bucket_name": bucket,
        "location": "media",
        "file_overwrite": False,
        # The bucket's own policy decides who may read; no per-object ACL.
        "default_acl": None,
        "object_parameters": {"CacheControl": "max-age=86400"},
        "querystring_auth": not custom_domain,
        "querystring_expire": 3600,
    }
    if access_key:
        options.update(access_key=access_key, secret_key=secret_key)
    if region:
        options["region_name"] = region
    if custom_domain:
        options["custom_domain"] = custom_domain
        origin = f"https://{custom_domain}"
    elif endpoint_url:
        # Path-style URLs (endpoint/bucket/key): one origin, whatever the bucket's name.
        options.update(endpoint_url=endpoint_url, addressing_style="path")
        parts = urlsplit(endpoint_url)
        origin = f"{parts.scheme}://{parts.netloc}"
    else:
        options.update(addressing_style="virtual", signature_version="s3v4")
        origin = f"https://{bucket}.s3.{region}.amazonaws.com"
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, origin
