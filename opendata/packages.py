"""The OCDS release package and record package of a challenge, from its stored releases.

The releases are served as they were stored; the record is compiled from them with the OCDS
merge rules; `publishedDate` is the time of the last change (the newest release's date), so the
same data fetched twice is the same document.
"""

from django.conf import settings

from challenges.models import Challenge

from . import extensions, merge, ocds, selectors


def _package_meta(challenge: Challenge, kind: str, published) -> dict:
    return {
        "uri": ocds.site_url(f"/open-data/{challenge.reference}/{kind}.json"),
        "version": "1.1",
        "publishedDate": ocds.ocds_date(published),
        "publisher": {"name": settings.MUNICIPALITY_NAME},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "publicationPolicy": ocds.site_url("/open-data/"),
        "extensions": [
            ocds.site_url(extensions.extension_path(name)) for name in extensions.EXTENSIONS
        ],
    }


def _stored(challenge: Challenge):
    return list(selectors.challenge_releases(challenge=challenge))


def release_package(challenge: Challenge) -> dict | None:
    """None for a challenge with no release: nothing about it is public yet."""
    stored = _stored(challenge)
    if not stored:
        return None
    last_change = max(release.date for release in stored)
    return {
        **_package_meta(challenge, "releases", last_change),
        "releases": [release.release for release in stored],
    }


def compiled_release(challenge: Challenge) -> dict | None:
    """Everything public now, as one release merged from the stored ones."""
    stored = _stored(challenge)
    if not stored:
        return None
    return merge.compiled_release([release.release for release in stored])


def record_package(challenge: Challenge) -> dict | None:
    stored = _stored(challenge)
    if not stored:
        return None
    releases = [release.release for release in stored]
    package_uri = ocds.site_url(f"/open-data/{challenge.reference}/releases.json")
    return {
        **_package_meta(challenge, "record", max(release.date for release in stored)),
        "packages": [package_uri],
        "records": [
            {
                "ocid": ocds.ocid(challenge),
                "releases": [
                    {"url": f"{package_uri}#{r['id']}", "date": r["date"], "tag": r["tag"]}
                    for r in releases
                ],
                "compiledRelease": merge.compiled_release(releases),
                "versionedRelease": merge.versioned_release(releases),
            }
        ],
    }
