"""clustergenie-ctl's verbs against a real server: what a script reads back is what happened."""

from __future__ import annotations

import pytest
import yaml

from tests.cli.conftest import Ctl


def test_create_with_wait_returns_once_every_droplet_is_active(ctl: Ctl) -> None:
    created = ctl(
        "cluster", "create", "shop", "--count", "3", "--tag", "prod", "--wait", "-o", "json"
    )
    assert created.code == 0, created.err
    cluster = created.json()
    assert isinstance(cluster, dict)
    # --wait returned only after the provisioning jobs: the cluster reads as fully active.
    assert (cluster["name"], cluster["droplet_count"], cluster["active_droplet_count"]) == (
        "shop", 3, 3,
    )  # fmt: skip
    assert cluster["tags"] == ["prod"]
    droplets = ctl("droplet", "list", "--cluster", "shop", "-o", "json").json()
    assert isinstance(droplets, list)
    assert sorted(d["status"] for d in droplets) == ["active"] * 3
    jobs = ctl("job", "list", "--cluster", "shop", "-o", "json").json()
    assert isinstance(jobs, list)
    assert [j["state"] for j in jobs] == ["succeeded"] * 3


def test_list_is_an_aligned_table_and_get_finds_by_name_or_id(ctl: Ctl) -> None:
    cluster = ctl("cluster", "create", "tables", "--region", "ams3", "-o", "json").json()
    assert isinstance(cluster, dict)
    table = ctl("cluster", "list")
    assert table.code == 0
    header, *rows = table.out.splitlines()
    assert header.split() == ["ID", "Name", "Region", "Size", "Image", "Status", "Droplets", "Tags"]
    row = next(r for r in rows if r.split()[1] == "tables")
    assert row.split()[2] == "ams3"
    # Aligned: each row's Region column starts where the header's does.
    assert row.index("ams3") == header.index("Region")
    no_header = ctl("cluster", "list", "--no-header")
    assert "Region" not in no_header.out
    assert any(line.split()[1] == "tables" for line in no_header.out.splitlines())
    by_id = ctl("cluster", "get", str(cluster["id"]), "-o", "yaml")
    assert yaml.safe_load(by_id.out)["name"] == "tables"
    assert (
        ctl("-o", "json", "cluster", "get", "tables").json()
        == ctl("cluster", "get", str(cluster["id"]), "-o", "json").json()
    )


def test_droplet_actions_wait_for_their_jobs(ctl: Ctl) -> None:
    assert ctl("cluster", "create", "acts", "--wait").code == 0
    resized = ctl("droplet", "resize", "acts-1", "--size", "s-2vcpu-4gb", "--wait", "-o", "json")
    assert resized.code == 0, resized.err
    assert resized.json()["size"] == "s-2vcpu-4gb"
    off = ctl("droplet", "power-off", "acts-1", "--wait", "-o", "json")
    assert off.json()["status"] == "off"
    on = ctl("droplet", "power-on", "acts-1", "--wait", "-o", "json")
    assert on.json()["status"] == "active"
    assert ctl("droplet", "reboot", "acts-1", "--wait").code == 0
    destroyed = ctl("droplet", "destroy", "acts-1", "--force", "--wait", "-o", "json")
    assert destroyed.json()["status"] == "archive"


def test_scale_policy_decisions_and_faults(ctl: Ctl) -> None:
    assert ctl("cluster", "create", "elastic", "--wait").code == 0
    job = ctl("scale", "set", "elastic", "3", "--wait", "-o", "json").json()
    assert job["state"] == "succeeded"
    assert ctl("cluster", "get", "elastic", "-o", "json").json()["active_droplet_count"] == 3
    policy = ctl(
        "scale",
        "policy",
        "set",
        "elastic",
        "--target",
        "55",
        "--min",
        "2",
        "--max",
        "4",
        "-o",
        "json",
    )
    assert policy.code == 0, policy.err
    read = ctl("scale", "policy", "get", "elastic", "-o", "json").json()
    assert isinstance(read, dict)
    assert (read["metric"], read["target"], read["min_droplets"], read["max_droplets"]) == (
        "cpu", 55.0, 2, 4,
    )  # fmt: skip
    decisions = ctl("scale", "decisions", "--cluster", "elastic", "-o", "json")
    assert decisions.code == 0
    assert isinstance(decisions.json(), list)
    fault = ctl("fault", "inject", "cpu_hog", "elastic", "--magnitude", "0.5", "-o", "json").json()
    assert isinstance(fault, dict)
    assert fault["kind"] == "cpu_hog"
    listed = ctl("fault", "list", "--cluster", "elastic", "-o", "json").json()
    assert [f["id"] for f in listed] == [fault["id"]]
    cleared = ctl("fault", "clear", str(fault["id"]), "-o", "json").json()
    assert cleared["state"] == "cleared"
    assert ctl("fault", "list", "--cluster", "elastic", "-o", "json").json() == []


def test_job_get_cancel_retry_and_watch(ctl: Ctl) -> None:
    created = ctl("cluster", "create", "jobs", "--wait", "-o", "json")
    assert created.code == 0
    [job] = ctl("job", "list", "--cluster", "jobs", "-o", "json").json()
    assert ctl("job", "get", str(job["id"]), "-o", "json").json()["state"] == "succeeded"
    watched = ctl("job", "watch", str(job["id"]), "-o", "json").json()
    assert [j["id"] for j in watched] == [job["id"]]
    # A finished job can be neither cancelled nor retried: the state forbids it (exit 7).
    assert ctl("job", "cancel", str(job["id"])).code == 7
    assert ctl("job", "retry", str(job["id"])).code == 7


def test_whoami_audit_and_version(ctl: Ctl) -> None:
    assert ctl("whoami", "-o", "json").json() == {"name": "admin", "role": "admin"}
    me = ctl("whoami", "-o", "json", role="operator").json()
    assert me["name"] == "operator"
    ctl("cluster", "create", "audited")
    entries = ctl("audit", "--method", "CreateCluster", "-o", "json").json()
    assert any("name=audited" in e["targets"] for e in entries)
    version = ctl("version", "-o", "json").json()
    assert isinstance(version, dict)
    assert version["client"]["clustergenie-ctl"] == version["server"]["version"]
    assert version["server"]["database"] == "sqlite"
    text = ctl("version").out
    assert text.startswith("clustergenie-ctl ")
    assert "\nserver " in text


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_an_empty_list_is_an_empty_document(ctl: Ctl, fmt: str) -> None:
    ctl("cluster", "create", f"quiet-{fmt}")
    result = ctl("fault", "list", "--cluster", f"quiet-{fmt}", "-o", fmt)
    assert result.code == 0
    assert yaml.safe_load(result.out) == []


def test_version_flag_names_the_server_when_it_answers(ctl: Ctl) -> None:
    reachable = ctl("--version")
    assert reachable.code == 0
    client, server = reachable.out.splitlines()
    assert client.startswith("clustergenie-ctl ")
    assert server.startswith("server ")
    away = ctl("--version", server="127.0.0.1:9")
    assert away.code == 0
    assert away.out.splitlines()[1].startswith("server: unknown (Cannot reach")


def test_delete_with_force_and_wait_leaves_the_cluster_deleted(ctl: Ctl) -> None:
    assert ctl("cluster", "create", "doomed", "--count", "2", "--wait").code == 0
    deleted = ctl("cluster", "delete", "doomed", "--force", "--wait", "-o", "json")
    assert deleted.code == 0, deleted.err
    assert deleted.json()["status"] == "deleted"
    names = [c["name"] for c in ctl("cluster", "list", "-o", "json").json()]
    assert "doomed" not in names
    everything = ctl("cluster", "list", "--all", "-o", "json").json()
    assert "doomed" in [c["name"] for c in everything]


def test_delete_without_force_asks_and_a_no_keeps_the_cluster(
    ctl: Ctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    assert ctl("cluster", "create", "kept").code == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    refused = ctl("cluster", "delete", "kept")
    assert refused.code == 1
    assert ctl("cluster", "get", "kept", "-o", "json").json()["status"] == "active"


def test_catalog_lists_what_create_accepts(ctl: Ctl) -> None:
    sizes = ctl("catalog", "sizes", "-o", "json").json()
    assert isinstance(sizes, list)
    assert "s-1vcpu-1gb" in [s["slug"] for s in sizes]
    regions = ctl("catalog", "regions", "-o", "json").json()
    assert {"slug": "nyc1", "name": "New York 1", "available": True} in regions
    images = ctl("catalog", "images", "--no-header").out.split()
    assert "ubuntu-24-04-x64" in images
