"""A stateful fuzz: random sequences of real RPCs, as viewer, operator and admin, on one server.

Hypothesis drives create/add/resize/power/reboot/destroy/delete/scale/cancel/retry, policies and
faults against a real `clustergenie-server` child process (SQLite, a high time scale, some
provisions failing). After every step it asserts what a user relies on:

- no call ends in INTERNAL or UNKNOWN, and a role below the RPC's gets PERMISSION_DENIED;
- every droplet whose jobs have all finished is in a state its job history explains;
- no droplet stays locked once its jobs have finished (waited for, with a deadline).

CI runs a fixed, derandomized budget (20 examples of up to 25 steps, about 25 s). A longer hunt:
    CLUSTERGENIE_STATEFUL_EXAMPLES=200 CLUSTERGENIE_STATEFUL_STEPS=40 \
        python -m pytest tests/integration/test_stateful_fuzz.py -q -s
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf.message import Message
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from clustergenie_server.api.v1 import common_pb2 as common
from clustergenie_server.api.v1 import (
    jobs_pb2,
    jobs_pb2_grpc,
    provisioning_pb2,
    provisioning_pb2_grpc,
    scaling_pb2,
    scaling_pb2_grpc,
    telemetry_pb2,
    telemetry_pb2_grpc,
)
from clustergenie_server.domain.auth import Role
from clustergenie_server.rpc.method_roles import METHOD_ROLES
from tests.auth_support import ROLE_TOKENS, write_tokens_file

from .conftest import SpawnServer
from .fleet_checks import cluster_unexplained, describe, unexplained

pytestmark = [pytest.mark.slow]

_IN_CI = os.environ.get("CI", "").lower() == "true"
EXAMPLES = int(os.environ.get("CLUSTERGENIE_STATEFUL_EXAMPLES", "20"))
STEPS = int(os.environ.get("CLUSTERGENIE_STATEFUL_STEPS", "25"))
DEADLINE = 15.0  # a unary call slower than this hangs: a bug
SETTLE_SECONDS = 60.0  # every job of the example finished within this, or it is stuck
UNLOCK_SECONDS = 10.0  # a droplet whose jobs all finished is unlocked within this

ROLES = ("viewer", "operator", "admin")
ALLOWED = {
    grpc.StatusCode.OK,
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.ALREADY_EXISTS,
    grpc.StatusCode.FAILED_PRECONDITION,
    grpc.StatusCode.PERMISSION_DENIED,
}
ACTIVE_STATES = (common.JOB_STATE_QUEUED, common.JOB_STATE_RUNNING)
SIZES = ("s-1vcpu-1gb", "s-1vcpu-2gb", "s-2vcpu-4gb", "s-1vcpu-512mb-10gb", "no-such-size")
DROPLET_ACTIONS = ("RebootDroplet", "PowerOffDroplet", "PowerOnDroplet", "DestroyDroplet")
_names = itertools.count(1)


class Caller:
    """Stubs per role on one channel each; every call is checked for its status code."""

    def __init__(self, address: str) -> None:
        self._channels = {role: grpc.insecure_channel(address) for role in ROLES}
        self.calls = 0
        self.codes: dict[str, int] = {}
        self.counts: dict[str, int] = {}  # what the run exercised, for the printed figures

    def count(self, what: str) -> None:
        """Count one thing the run did or checked."""
        self.counts[what] = self.counts.get(what, 0) + 1

    def close(self) -> None:
        """Close every channel."""
        for channel in self._channels.values():
            channel.close()

    def call(self, role: str, service: str, method: str, request: Message) -> Any:
        """The response, or None for an allowed error; fails on INTERNAL/UNKNOWN or wrong roles."""
        stubs: dict[str, Callable[[Any], Any]] = {
            "ProvisioningService": provisioning_pb2_grpc.ProvisioningServiceStub,
            "JobService": jobs_pb2_grpc.JobServiceStub,
            "ScalingService": scaling_pb2_grpc.ScalingServiceStub,
            "TelemetryService": telemetry_pb2_grpc.TelemetryServiceStub,
        }
        stub = stubs[service](self._channels[role])
        metadata = (("authorization", f"Bearer {ROLE_TOKENS[role]}"),)
        self.calls += 1
        try:
            response = getattr(stub, method)(request, timeout=DEADLINE, metadata=metadata)
            code, details = grpc.StatusCode.OK, ""
        except grpc.RpcError as error:
            response, code, details = None, error.code(), error.details() or ""
        self.codes[code.name] = self.codes.get(code.name, 0) + 1
        where = f"{method} as {role} ({request})"
        assert code in ALLOWED, f"{where} ended in {code.name}: {details}"
        needed = METHOD_ROLES[f"/clustergenie.v1.{service}/{method}"]
        if Role[role.upper()] < needed:
            assert code == grpc.StatusCode.PERMISSION_DENIED, f"{where} was let through"
        else:
            assert code != grpc.StatusCode.PERMISSION_DENIED, f"{where}: {details}"
        if code != grpc.StatusCode.OK:
            assert details, f"{where} ended in {code.name} without a message"
        return response

    def read(self, service: str, method: str, request: Message) -> Any:
        """A read as the viewer, which must succeed."""
        response = self.call("viewer", service, method, request)
        assert response is not None, f"{method} failed"
        return response


class Fleet(RuleBasedStateMachine):
    """What one example created, and the rules that act on it."""

    caller: Caller  # set by the test before the machine runs

    def __init__(self) -> None:
        super().__init__()
        self.clusters: list[int] = []
        self.droplets: list[int] = []
        self.jobs: list[int] = []
        self.faults: list[int] = []
        self.ended_badly: list[int] = []  # jobs last seen failed or cancelled: retry candidates

    # -- helpers --------------------------------------------------------------------------------

    def _note(self, response: Any) -> None:
        if response is None:
            return
        if hasattr(response, "jobs"):
            self.jobs += [j.id for j in response.jobs]
            self.droplets += [d.id for d in response.droplets]
        elif hasattr(response, "job"):
            self.jobs.append(response.job.id)

    @staticmethod
    def _pick(items: list[int], index: int) -> int:
        return items[index % len(items)]

    def _pick_job(self, index: int) -> int:
        """Half the time one of the newest jobs (likely still running, or just cancelled)."""
        if index < 50:
            return self.jobs[-1 - index % min(len(self.jobs), 4)]
        return self._pick(self.jobs, index)

    def _state(self) -> Iterator[tuple[int, list[provisioning_pb2.Droplet], list[jobs_pb2.Job]]]:
        """Each cluster's droplets and jobs (oldest first), read jobs-droplets-jobs so that a
        job started between the reads shows up."""
        c = self.caller
        for cluster_id in self.clusters:
            request = jobs_pb2.ListJobsRequest(cluster_id=cluster_id, limit=1000)
            before = c.read("JobService", "ListJobs", request).jobs
            droplets = c.read(
                "ProvisioningService",
                "ListDroplets",
                provisioning_pb2.ListDropletsRequest(cluster_id=cluster_id),
            ).droplets
            after = c.read("JobService", "ListJobs", request).jobs
            self.droplets = sorted({*self.droplets, *(d.id for d in droplets)})
            self.jobs = sorted({*self.jobs, *(j.id for j in after)})
            bad = (common.JOB_STATE_FAILED, common.JOB_STATE_CANCELLED)
            self.ended_badly = sorted({*self.ended_badly, *(j.id for j in after if j.state in bad)})
            # Judged on the earlier read, and only for droplets no job touched in between; a
            # cluster-level job (delete, scale) in flight touches them all.
            was = {j.id: j.state for j in before}
            unsettled = {
                j.droplet_id for j in after if j.state in ACTIVE_STATES or was.get(j.id) != j.state
            }
            steady = [] if 0 in unsettled else [d for d in droplets if d.id not in unsettled]
            if not unsettled:
                self._check_cluster(cluster_id, before)
            yield cluster_id, steady, sorted(before, key=lambda j: j.id)

    def _check_cluster(self, cluster_id: int, jobs: list[jobs_pb2.Job]) -> None:
        """With every job of it finished, a cluster is deleted exactly when a delete succeeded."""
        request = provisioning_pb2.GetClusterRequest(id=cluster_id)
        cluster = self.caller.read("ProvisioningService", "GetCluster", request)
        why = cluster_unexplained(cluster, jobs)
        assert why is None, why
        self.caller.count("cluster states checked")

    def _jobs_moved(self, cluster_id: int, droplet_id: int, seen: list[jobs_pb2.Job]) -> bool:
        """True when the droplet's or its cluster's jobs changed since `seen` was read."""
        request = jobs_pb2.ListJobsRequest(cluster_id=cluster_id, limit=1000)
        now = self.caller.read("JobService", "ListJobs", request).jobs
        relevant = {(j.id, j.state) for j in now if j.droplet_id in (0, droplet_id)}
        return relevant != {(j.id, j.state) for j in seen}

    def _wait_unlocked(self, droplet_id: int) -> provisioning_pb2.Droplet:
        """The droplet once unlocked; fails if it stays locked UNLOCK_SECONDS."""
        deadline = time.monotonic() + UNLOCK_SECONDS
        request = provisioning_pb2.GetDropletRequest(id=droplet_id)
        while True:
            droplet: provisioning_pb2.Droplet = self.caller.read(
                "ProvisioningService", "GetDroplet", request
            )
            if not droplet.locked:
                return droplet
            assert time.monotonic() < deadline, f"droplet {droplet.name} stays locked"
            time.sleep(0.02)  # polling the server: the unlock is what is waited for

    # -- rules: provisioning --------------------------------------------------------------------

    @rule(role=st.sampled_from(ROLES), count=st.integers(1, 3))
    def create_cluster(self, role: str, count: int) -> None:
        request = provisioning_pb2.CreateClusterRequest(
            name=f"fz{next(_names)}",
            region="nyc1",
            size="s-1vcpu-1gb",
            image="ubuntu-24-04-x64",
            droplet_count=count,
        )
        response = self.caller.call(role, "ProvisioningService", "CreateCluster", request)
        if response is not None:
            self.clusters.append(response.cluster.id)
        self._note(response)

    @precondition(lambda self: self.clusters)
    @rule(role=st.sampled_from(ROLES), i=st.integers(0, 99), count=st.integers(1, 2))
    def add_droplets(self, role: str, i: int, count: int) -> None:
        request = provisioning_pb2.AddDropletsRequest(
            cluster_id=self._pick(self.clusters, i), count=count
        )
        self._note(self.caller.call(role, "ProvisioningService", "AddDroplets", request))

    @precondition(lambda self: self.droplets)
    @rule(role=st.sampled_from(ROLES), i=st.integers(0, 99), size=st.sampled_from(SIZES))
    def resize(self, role: str, i: int, size: str) -> None:
        request = provisioning_pb2.ResizeDropletRequest(id=self._pick(self.droplets, i), size=size)
        self._note(self.caller.call(role, "ProvisioningService", "ResizeDroplet", request))

    @precondition(lambda self: self.droplets)
    @rule(
        role=st.sampled_from(ROLES),
        i=st.integers(0, 99),
        action=st.sampled_from(DROPLET_ACTIONS),
    )
    def droplet_action(self, role: str, i: int, action: str) -> None:
        request = provisioning_pb2.DropletRequest(id=self._pick(self.droplets, i))
        self._note(self.caller.call(role, "ProvisioningService", action, request))

    @precondition(lambda self: self.clusters)
    @rule(role=st.sampled_from(ROLES), i=st.integers(0, 99))
    def delete_cluster(self, role: str, i: int) -> None:
        request = provisioning_pb2.DeleteClusterRequest(id=self._pick(self.clusters, i))
        self._note(self.caller.call(role, "ProvisioningService", "DeleteCluster", request))

    # -- rules: jobs and scaling ------------------------------------------------------------------

    @precondition(lambda self: self.clusters)
    @rule(role=st.sampled_from(ROLES), i=st.integers(0, 99), count=st.integers(1, 4))
    def scale(self, role: str, i: int, count: int) -> None:
        request = scaling_pb2.ScaleClusterRequest(
            cluster_id=self._pick(self.clusters, i), target_count=count
        )
        self._note(self.caller.call(role, "ScalingService", "ScaleCluster", request))

    @precondition(lambda self: self.jobs)
    @rule(role=st.sampled_from(ROLES), i=st.integers(0, 99))
    def cancel(self, role: str, i: int) -> None:
        request = jobs_pb2.CancelJobRequest(id=self._pick_job(i))
        if self.caller.call(role, "JobService", "CancelJob", request) is not None:
            self.caller.count("cancels of a live job")

    @precondition(lambda self: self.jobs)
    @rule(role=st.sampled_from(ROLES), i=st.integers(0, 99))
    def retry(self, role: str, i: int) -> None:
        job_id = (
            self._pick(self.ended_badly, i) if i < 60 and self.ended_badly else self._pick_job(i)
        )
        before = self.caller.read("JobService", "GetJob", jobs_pb2.GetJobRequest(id=job_id))
        retry = self.caller.call(
            role, "JobService", "RetryJob", jobs_pb2.RetryJobRequest(id=job_id)
        )
        if retry is None:
            return
        assert before.retryable, f"{describe(before)} was retried, though not retryable"
        assert not before.retried_as_job_id, f"{describe(before)} was retried twice"
        assert (retry.kind, retry.retry_of) == (before.kind, job_id)
        self.jobs.append(retry.id)
        self.caller.count(f"retries of {describe(before).split()[1]}")
        linked = self.caller.read("JobService", "GetJob", jobs_pb2.GetJobRequest(id=job_id))
        assert linked.retried_as_job_id == retry.id

    @precondition(lambda self: self.clusters)
    @rule(
        role=st.sampled_from(ROLES),
        i=st.integers(0, 99),
        count=st.integers(1, 3),
        enabled=st.booleans(),
    )
    def set_policy(self, role: str, i: int, count: int, enabled: bool) -> None:
        # min = max: the auto-scaler converges on count and then rests, so the fleet settles.
        policy = scaling_pb2.ScalingPolicy(
            cluster_id=self._pick(self.clusters, i),
            metric=scaling_pb2.SCALING_METRIC_CPU,
            target=60.0,
            min_droplets=count,
            max_droplets=count,
            enabled=enabled,
        )
        request = scaling_pb2.SetPolicyRequest(policy=policy)
        self.caller.call(role, "ScalingService", "SetPolicy", request)

    @precondition(lambda self: self.clusters)
    @rule(role=st.sampled_from(ROLES), i=st.integers(0, 99))
    def delete_policy(self, role: str, i: int) -> None:
        request = scaling_pb2.DeletePolicyRequest(cluster_id=self._pick(self.clusters, i))
        self.caller.call(role, "ScalingService", "DeletePolicy", request)

    # -- rules: faults ----------------------------------------------------------------------------

    @precondition(lambda self: self.clusters)
    @rule(
        role=st.sampled_from(ROLES),
        i=st.integers(0, 99),
        kind=st.sampled_from(telemetry_pb2.FaultKind.values()),  # UNSPECIFIED too: refused
        on_droplet=st.booleans(),
    )
    def inject_fault(
        self, role: str, i: int, kind: telemetry_pb2.FaultKind.ValueType, on_droplet: bool
    ) -> None:
        droplet_id = self._pick(self.droplets, i) if on_droplet and self.droplets else 0
        request = telemetry_pb2.InjectFaultRequest(
            kind=kind, cluster_id=self._pick(self.clusters, i), droplet_id=droplet_id
        )
        fault = self.caller.call(role, "TelemetryService", "InjectFault", request)
        if fault is not None:
            self.faults.append(fault.id)

    @precondition(lambda self: self.faults)
    @rule(role=st.sampled_from(ROLES), i=st.integers(0, 99))
    def clear_fault(self, role: str, i: int) -> None:
        request = telemetry_pb2.ClearFaultRequest(id=self._pick(self.faults, i))
        self.caller.call(role, "TelemetryService", "ClearFault", request)

    # -- checks ---------------------------------------------------------------------------------

    @rule()
    def settle(self) -> None:
        """Wait until every job of the example has finished; the invariant then sees it all."""
        deadline = time.monotonic() + SETTLE_SECONDS
        request = jobs_pb2.ListJobsRequest(states=ACTIVE_STATES, limit=1000)
        mine = set(self.clusters)
        while True:
            active = [
                j
                for j in self.caller.read("JobService", "ListJobs", request).jobs
                if j.cluster_id in mine
            ]
            if not active:
                return
            assert time.monotonic() < deadline, (
                f"jobs never finished: {[describe(j) for j in active]}"
            )
            time.sleep(0.05)  # polling the server: the jobs' end is what is waited for

    @invariant()
    def droplets_follow_their_jobs(self) -> None:
        """Every droplet whose jobs all finished is explained by them, and unlocked."""
        for cluster_id, steady, jobs in self._state():
            for droplet in steady:
                own = [j for j in jobs if j.droplet_id == droplet.id]
                cluster_jobs = [j for j in jobs if j.droplet_id == 0]
                if droplet.locked:
                    self.caller.count("locked droplets waited for")
                    droplet = self._wait_unlocked(droplet.id)
                    if self._jobs_moved(cluster_id, droplet.id, own + cluster_jobs):
                        continue  # a new job came meanwhile (the auto-scaler): judged later
                why = unexplained(droplet, own, cluster_jobs)
                self.caller.count("droplet states checked")
                history = ", ".join(describe(j) for j in own + cluster_jobs)
                assert why is None, f"droplet {droplet.name}: {why} (jobs: {history})"

    def teardown(self) -> None:
        """Finish the example settled and checked, so the next one starts clean."""
        self.settle()
        self.droplets_follow_their_jobs()


@pytest.mark.timeout(max(180, EXAMPLES * STEPS))  # a long hunt outlasts the suite's 180 s
def test_random_rpc_sequences_keep_the_fleet_consistent(
    spawn_server: SpawnServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "server.toml"
    # No wall-clock backoff between automatic retries, and no rate limit: the fuzz is the load.
    config.write_text(
        "[jobs]\nbackoff_seconds = 0.05\n\n"
        "[limits]\nmutations_per_second = 100000.0\nmutation_burst = 100000\n"
    )
    server = spawn_server(
        "--database-url",
        f"sqlite:///{tmp_path / 'fuzz.sqlite'}",
        "--tokens-file",
        str(write_tokens_file(tmp_path / "tokens")),
        "--config",
        str(config),
        "--time-scale",
        "20",  # a provision takes ~0.4 s, an action 0.15 s: cancels still find jobs running
        "--failure-rate",
        "0.3",
        "--seed",
        "11",
    )
    caller = Caller(server.address)
    Fleet.caller = caller
    began = time.monotonic()
    try:
        run = settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=_IN_CI,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        run_state_machine_as_test(Fleet, settings=run)
    finally:
        caller.close()
    print(  # noqa: T201 - the figures of the run, for the note
        f"\nstateful fuzz: {EXAMPLES} examples of up to {STEPS} steps, {caller.calls} RPCs "
        f"in {time.monotonic() - began:.1f} s; codes {dict(sorted(caller.codes.items()))}; "
        f"{dict(sorted(caller.counts.items()))}"
    )
