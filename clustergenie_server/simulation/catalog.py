"""The catalog of regions, sizes and images, after DigitalOcean's public catalog."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Region:
    """A data centre droplets can live in."""

    slug: str
    name: str
    available: bool = True


@dataclass(frozen=True, slots=True)
class Size:
    """A droplet plan: CPU, memory, disk and price."""

    slug: str
    vcpus: int
    memory_mb: int
    disk_gb: int
    price_monthly: float

    @property
    def price_hourly(self) -> float:
        """DigitalOcean bills hourly up to the monthly cap of 672 hours."""
        return round(self.price_monthly / 672, 5)


@dataclass(frozen=True, slots=True)
class Image:
    """An operating-system image a droplet boots from."""

    slug: str
    name: str
    distribution: str


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything that can be ordered, with lookups by slug."""

    regions: tuple[Region, ...]
    sizes: tuple[Size, ...]
    images: tuple[Image, ...]

    def region(self, slug: str) -> Region | None:
        """The region with that slug, if any."""
        return next((r for r in self.regions if r.slug == slug), None)

    def size(self, slug: str) -> Size | None:
        """The size with that slug, if any."""
        return next((s for s in self.sizes if s.slug == slug), None)

    def image(self, slug: str) -> Image | None:
        """The image with that slug, if any."""
        return next((i for i in self.images if i.slug == slug), None)


DEFAULT_CATALOG = Catalog(
    regions=(
        Region("nyc1", "New York 1"),
        Region("nyc3", "New York 3"),
        Region("sfo3", "San Francisco 3"),
        Region("ams3", "Amsterdam 3"),
        Region("fra1", "Frankfurt 1"),
        Region("lon1", "London 1"),
        Region("sgp1", "Singapore 1"),
        Region("blr1", "Bangalore 1"),
        Region("tor1", "Toronto 1"),
        Region("syd1", "Sydney 1"),
        Region("nyc2", "New York 2", available=False),
    ),
    sizes=(
        Size("s-1vcpu-512mb-10gb", 1, 512, 10, 4.0),
        Size("s-1vcpu-1gb", 1, 1024, 25, 6.0),
        Size("s-1vcpu-2gb", 1, 2048, 50, 12.0),
        Size("s-2vcpu-2gb", 2, 2048, 60, 18.0),
        Size("s-2vcpu-4gb", 2, 4096, 80, 24.0),
        Size("s-4vcpu-8gb", 4, 8192, 160, 48.0),
        Size("s-8vcpu-16gb", 8, 16384, 320, 96.0),
        Size("c-4", 4, 8192, 50, 84.0),
        Size("m-2vcpu-16gb", 2, 16384, 50, 84.0),
        Size("g-8vcpu-32gb", 8, 32768, 100, 252.0),
    ),
    images=(
        Image("ubuntu-24-04-x64", "Ubuntu 24.04 (LTS) x64", "Ubuntu"),
        Image("ubuntu-22-04-x64", "Ubuntu 22.04 (LTS) x64", "Ubuntu"),
        Image("debian-12-x64", "Debian 12 x64", "Debian"),
        Image("fedora-41-x64", "Fedora 41 x64", "Fedora"),
        Image("rockylinux-9-x64", "Rocky Linux 9 x64", "Rocky Linux"),
        Image("almalinux-9-x64", "AlmaLinux 9 x64", "AlmaLinux"),
    ),
)
