"""Checks at the edge of the domain: each failure says what was wrong and how to fix it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from clustergenie_server.domain.errors import FailedPrecondition, InvalidArgument
from clustergenie_server.simulation.catalog import Catalog, Image, Region, Size

_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_TAG = re.compile(r"^[A-Za-z0-9_:.\-]{1,64}$")
MAX_TAGS = 20
MAX_DROPLETS_PER_REQUEST = 50
MAX_DROPLETS_PER_CLUSTER = 1000


def cluster_name(raw: str) -> str:
    """A DNS-label-like cluster name: lowercase letters, digits and inner hyphens, ≤ 63."""
    name = raw.strip()
    if not name:
        raise InvalidArgument("cluster name is empty; give it a name such as web-prod")
    if len(name) > 63:
        raise InvalidArgument(f"cluster name is {len(name)} characters long; the limit is 63")
    if not _NAME.match(name):
        raise InvalidArgument(
            f"cluster name {name!r} is not valid: use lowercase letters, digits and hyphens, "
            "starting and ending with a letter or digit"
        )
    return name


def tags(raw: Sequence[str]) -> tuple[str, ...]:
    """Tags without duplicates, in the order given."""
    cleaned = tuple(dict.fromkeys(t.strip() for t in raw if t.strip()))
    if len(cleaned) > MAX_TAGS:
        raise InvalidArgument(f"{len(cleaned)} tags given; at most {MAX_TAGS} are allowed")
    for tag in cleaned:
        if not _TAG.match(tag):
            raise InvalidArgument(
                f"tag {tag!r} is not valid: use up to 64 letters, digits and _ : . -"
            )
    return cleaned


def region(catalog: Catalog, slug: str) -> Region:
    """A region from the catalog that takes new droplets."""
    found = catalog.region(slug.strip())
    if found is None:
        raise InvalidArgument(f"region {slug!r} is not in the catalog; see GetCatalog for regions")
    if not found.available:
        raise FailedPrecondition(
            f"region {slug} ({found.name}) takes no new droplets; choose another region"
        )
    return found


def size(catalog: Catalog, slug: str) -> Size:
    """A size from the catalog."""
    found = catalog.size(slug.strip())
    if found is None:
        raise InvalidArgument(f"size {slug!r} is not in the catalog; see GetCatalog for sizes")
    return found


def image(catalog: Catalog, slug: str) -> Image:
    """An image from the catalog."""
    found = catalog.image(slug.strip())
    if found is None:
        raise InvalidArgument(f"image {slug!r} is not in the catalog; see GetCatalog for images")
    return found


def droplet_count(count: int, *, allow_zero: bool) -> int:
    """How many droplets one request may create."""
    low = 0 if allow_zero else 1
    if count < low or count > MAX_DROPLETS_PER_REQUEST:
        raise InvalidArgument(
            f"droplet count {count} is out of range; give {low} to {MAX_DROPLETS_PER_REQUEST}"
        )
    return count


def positive_id(value: int, what: str) -> int:
    """Ids are positive integers."""
    if value <= 0:
        raise InvalidArgument(f"{what} id must be a positive number, got {value}")
    return value
