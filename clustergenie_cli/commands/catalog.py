"""`clustergenie-ctl catalog regions|sizes|images`: what a cluster can be created with."""

from __future__ import annotations

import typer

from clustergenie_cli.invocation import call, show

app = typer.Typer(help="The catalog: regions, droplet sizes and images.", no_args_is_help=True)


@app.command("regions")
def regions(ctx: typer.Context) -> None:
    """Regions (unavailable ones cannot take new clusters)."""
    catalog = call(ctx, lambda c: c.get_catalog())
    columns = (
        ("Slug", lambda r: r.slug),
        ("Name", lambda r: r.name),
        ("Available", lambda r: r.available),
    )
    show(ctx, list(catalog.regions), columns)


@app.command("sizes")
def sizes(ctx: typer.Context) -> None:
    """Droplet sizes with their resources and price."""
    catalog = call(ctx, lambda c: c.get_catalog())
    columns = (
        ("Slug", lambda s: s.slug),
        ("vCPUs", lambda s: s.vcpus),
        ("Memory MB", lambda s: s.memory_mb),
        ("Disk GB", lambda s: s.disk_gb),
        ("$/month", lambda s: f"{s.price_monthly:.2f}"),
    )
    show(ctx, list(catalog.sizes), columns)


@app.command("images")
def images(ctx: typer.Context) -> None:
    """Operating-system images."""
    catalog = call(ctx, lambda c: c.get_catalog())
    columns = (
        ("Slug", lambda i: i.slug),
        ("Name", lambda i: i.name),
        ("Distribution", lambda i: i.distribution),
    )
    show(ctx, list(catalog.images), columns)
