"""Logs over the wire: gRPC ingest, tail, search, stats and patterns; the Loki push API fed as
Promtail sends (JSON and protobuf); a real rsyslog forwarding over TCP; and a bad deploy seen end
to end."""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import aiohttp
import cramjam
import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from grpc import aio

from clustergenie_server.api.loki import push_pb2
from clustergenie_server.api.v1 import logs_pb2 as pb
from clustergenie_server.api.v1 import logs_pb2_grpc
from clustergenie_server.app import ServerApp, build_server
from clustergenie_server.db import Database
from clustergenie_server.settings import LogSettings
from tests.auth_support import TEST_TOKEN, authed_channel

from .conftest import make_settings, next_message

LOGS = LogSettings(http_listen="127.0.0.1:0", syslog_listen="127.0.0.1:0", tail_buffer_lines=50_000)


@dataclass
class LogsApi:
    """A server with the agent ports open, and stubs."""

    app: ServerApp
    channel: aio.Channel
    logs: logs_pb2_grpc.LogServiceStub

    @property
    def loki_url(self) -> str:
        assert self.app.logs is not None
        assert self.app.logs.loki is not None
        return f"http://127.0.0.1:{self.app.logs.loki.port}/loki/api/v1/push"

    @property
    def syslog_port(self) -> int:
        assert self.app.logs is not None
        assert self.app.logs.syslog is not None
        return self.app.logs.syslog.port

    async def search(self, query: str, limit: int = 1000) -> list[tuple[dict[str, str], str]]:
        return [(labels, line) for labels, line, _ in await self.search_timed(query, limit)]

    async def search_timed(
        self, query: str, limit: int = 1000
    ) -> list[tuple[dict[str, str], str, float]]:
        """(labels, line, time) of the matching lines, newest first."""
        streams: dict[int, dict[str, str]] = {}
        out: list[tuple[dict[str, str], str, float]] = []
        async for r in self.logs.SearchLogs(
            pb.SearchLogsRequest(query=query, limit=limit), timeout=20
        ):
            streams.update({s.id: dict(s.labels) for s in r.streams})
            out.extend((streams[e.stream_id], e.line, e.time) for e in r.entries)
        return out

    async def wait_lines(
        self, query: str, n: int, timeout: float = 20
    ) -> list[tuple[dict[str, str], str]]:
        """Follow the tail (from the start) until n lines match: lines from a socket arrive
        when they arrive, and the tail is the signal that they did."""
        streams: dict[int, dict[str, str]] = {}
        out: list[tuple[dict[str, str], str]] = []
        tail = self.logs.TailLogs(pb.TailLogsRequest(query=query, since=1.0, replay_limit=5000))
        try:
            async with asyncio.timeout(timeout):
                while len(out) < n:
                    r = await next_message(tail)
                    streams.update({s.id: dict(s.labels) for s in r.streams})
                    out.extend((streams[e.stream_id], e.line) for e in r.entries)
        finally:
            tail.cancel()
        return out


@pytest.fixture
async def logs_api(database: Database, database_url: str) -> AsyncIterator[LogsApi]:
    """A fast server (simulation at 80x) with the Loki and syslog ports on free ports."""
    settings = replace(make_settings(database_url), logs=LOGS)
    app = await build_server(settings)
    await app.start()
    channel = authed_channel(app.address)
    yield LogsApi(app, channel, logs_pb2_grpc.LogServiceStub(channel))
    await channel.close(None)
    await app.stop()


async def test_ingest_acks_each_batch_and_lines_show_in_tail_and_search(logs_api: LogsApi) -> None:
    tail = logs_api.logs.TailLogs(pb.TailLogsRequest(query='{cluster="ext"} |= "boom"'))
    first = await next_message(tail)
    assert first.replay_complete

    async def batches() -> AsyncIterator[pb.IngestLogsRequest]:
        for b in range(3):
            entries = [
                pb.IngestEntry(
                    labels={"cluster": "ext", "droplet": "unknown-host-9"},
                    line=f"{b}-{i} ERROR boom",
                )
                for i in range(4)
            ]
            entries.append(pb.IngestEntry(labels={"bad label": "x"}, line="refused"))
            yield pb.IngestLogsRequest(batch_id=b, entries=entries)

    acks = [a async for a in logs_api.logs.IngestLogs(batches(), timeout=20)]
    assert [(a.batch_id, a.accepted, a.rejected) for a in acks] == [(0, 4, 1), (1, 4, 1), (2, 4, 1)]
    assert "bad label" in acks[0].errors[0]
    got: list[str] = []
    labels: dict[int, dict[str, str]] = {}
    async with asyncio.timeout(10):
        while len(got) < 12:
            r = await next_message(tail)
            labels.update({s.id: dict(s.labels) for s in r.streams})
            got.extend(e.line for e in r.entries)
    assert got[0] == "0-0 ERROR boom"
    assert got[-1] == "2-3 ERROR boom"
    assert {tuple(sorted(x.items())) for x in labels.values()} == {
        (("cluster", "ext"), ("droplet", "unknown-host-9"), ("level", "error"), ("source", "grpc"))
    }  # an unknown droplet is labelled, not refused
    tail.cancel()
    found = await logs_api.search('{cluster="ext", droplet="unknown-host-9"} |= "1-2"')
    assert [line for _, line in found] == ["1-2 ERROR boom"]


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ('{cluster="web"', "character 15"),
        ('{a="b"} |~ "(a+)+$"', "catastrophically"),
        ('{a="b"} |~ "("', "invalid regex"),
    ],
)
async def test_bad_queries_are_invalid_argument_with_the_position(
    logs_api: LogsApi, query: str, where: str
) -> None:
    for call in (
        lambda: logs_api.logs.SearchLogs(pb.SearchLogsRequest(query=query)),
        lambda: logs_api.logs.TailLogs(pb.TailLogsRequest(query=query)),
        lambda: logs_api.logs.LogStats(pb.LogStatsRequest(query=query)),
    ):
        with pytest.raises(grpc.RpcError) as caught:
            async for _ in call():
                pass
        assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        assert where in (caught.value.details() or "")


async def test_a_window_that_ends_before_it_starts_is_refused(logs_api: LogsApi) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        async for _ in logs_api.logs.SearchLogs(
            pb.SearchLogsRequest(query="{}", start=200, end=100)
        ):
            pass
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT


def _promtail_payload(now_ns: int) -> dict[str, object]:
    """What Promtail's Loki client pushes (JSON form): streams of [ns-string, line] values."""
    return {
        "streams": [
            {
                "stream": {
                    "cluster": "web-prod",
                    "droplet": "agent-host-1",
                    "job": "varlogs",
                    "filename": "/var/log/app.log",
                },
                "values": [
                    [str(now_ns + i), f'level=error msg="upstream timeout {i}"'] for i in range(3)
                ],
            },
            {
                "stream": {"cluster": "web-prod", "droplet": "agent-host-2", "job": "varlogs"},
                "values": [[str(now_ns), "level=info msg=started", {"trace_id": "abc123"}]],
            },
        ]
    }


async def test_loki_push_as_promtail_sends_it(logs_api: LogsApi) -> None:
    headers = {
        "Authorization": f"Bearer {TEST_TOKEN}",
        "Content-Type": "application/json",
        "User-Agent": "promtail/2.9.4",
        "Content-Encoding": "gzip",
    }
    body = gzip.compress(json.dumps(_promtail_payload(time.time_ns())).encode())
    async with aiohttp.ClientSession() as http:
        async with http.post(logs_api.loki_url, data=body, headers=headers) as response:
            assert response.status == 204
        found = await logs_api.search('{cluster="web-prod", job="varlogs"} |= "upstream timeout"')
        assert sorted(line for _, line in found) == [
            f'level=error msg="upstream timeout {i}"' for i in range(3)
        ]
        assert {labels["level"] for labels, _ in found} == {"error"}
        [(labels, _)] = await logs_api.search('{trace_id="abc123"}')
        assert labels["droplet"] == "agent-host-2"

        async with http.post(
            logs_api.loki_url,
            json={"streams": "nope"},
            headers={"Authorization": f"Bearer {TEST_TOKEN}"},
        ) as response:
            assert response.status == 400
            assert "streams" in (await response.json())["message"]
        mixed = {
            "streams": [
                {
                    "stream": {"cluster": "mixed"},
                    "values": [
                        ["1", "good one"],
                        ["bad-time", "x"],
                        [str(time.time_ns()), "good two"],
                    ],
                }
            ]
        }
        async with http.post(
            logs_api.loki_url, json=mixed, headers={"Authorization": f"Bearer {TEST_TOKEN}"}
        ) as response:
            assert response.status == 400
            message = (await response.json())["message"]
            assert "accepted 2 lines" in message
            assert "values[1]" in message
        assert sorted(line for _, line in await logs_api.search('{cluster="mixed"}')) == [
            "good one",
            "good two",
        ]
        async with http.post(
            logs_api.loki_url,
            data=b"{not json",
            headers={"Authorization": f"Bearer {TEST_TOKEN}", "Content-Type": "application/json"},
        ) as response:
            assert response.status == 400
            assert "not a Loki push request" in (await response.json())["message"]
        async with http.post(
            logs_api.loki_url,
            json=_promtail_payload(1),
            headers={"Authorization": "Bearer wrong-token-0123456789"},
        ) as response:
            assert response.status == 401


async def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """POST body; the status and the response's text."""
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as r:
        return r.status, await r.text()


def _timestamp(nanos: int) -> Timestamp:
    return Timestamp(seconds=nanos // 1_000_000_000, nanos=nanos % 1_000_000_000)


def _promtail_protobuf(streams: list[push_pb2.StreamAdapter]) -> bytes:
    """A body as Promtail's client writes it: the PushRequest serialized, then snappy's block
    format (Go's snappy.Encode), no Content-Encoding."""
    request = push_pb2.PushRequest(streams=streams)
    return bytes(cramjam.snappy.compress_raw(request.SerializeToString()))


# Promtail's basic_auth with the token as the password; its Content-Type and User-Agent.
PROMTAIL_HEADERS = {
    "Authorization": "Basic " + base64.b64encode(f"promtail:{TEST_TOKEN}".encode()).decode(),
    "Content-Type": "application/x-protobuf",
    "User-Agent": "promtail/2.9.4",
}


async def test_loki_push_in_protobuf_and_snappy_as_promtail_sends_it(logs_api: LogsApi) -> None:
    now = time.time_ns()
    body = _promtail_protobuf(
        [
            push_pb2.StreamAdapter(
                # Prometheus' labels.String(): sorted, Go-quoted values.
                labels='{cluster="pb-prod", droplet="agent-host-3", '
                'filename="/var/log/a \\"b\\".log", job="varlogs"}',
                entries=[
                    push_pb2.EntryAdapter(
                        timestamp=_timestamp(now + i * 1000),
                        line=f'level=error msg="disk slow {i}"',
                    )
                    for i in range(3)
                ],
                hash=12345,
            ),
            push_pb2.StreamAdapter(
                labels='{cluster="pb-prod", droplet="agent-host-4", job="varlogs"}',
                entries=[
                    push_pb2.EntryAdapter(
                        timestamp=_timestamp(now),
                        line="level=info msg=started",
                        structuredMetadata=[
                            push_pb2.LabelPairAdapter(name="trace_id", value="pb-trace-1")
                        ],
                    )
                ],
            ),
        ]
    )
    status, text = await _post(logs_api.loki_url, body, PROMTAIL_HEADERS)
    assert status == 204, text
    tailed = await logs_api.wait_lines('{cluster="pb-prod"}', 4)
    assert sorted(line for _, line in tailed) == [
        *(f'level=error msg="disk slow {i}"' for i in range(3)),
        "level=info msg=started",
    ]
    found = await logs_api.search_timed('{cluster="pb-prod", job="varlogs"} |= "disk slow"')
    # Newest first, each at the time Promtail gave it.
    assert [line for _, line, _ in found] == [f'level=error msg="disk slow {i}"' for i in (2, 1, 0)]
    assert [t for _, _, t in found] == pytest.approx(
        [(now + i * 1000) / 1e9 for i in (2, 1, 0)], abs=1e-6
    )
    labels = found[0][0]
    assert labels == {
        "cluster": "pb-prod",
        "droplet": "agent-host-3",
        "filename": '/var/log/a "b".log',
        "job": "varlogs",
        "level": "error",
        "source": "loki",
    }
    [(labels, line, t)] = await logs_api.search_timed('{trace_id="pb-trace-1"}')
    assert (labels["droplet"], labels["level"], line) == (
        "agent-host-4",
        "info",
        "level=info msg=started",
    )
    assert t == pytest.approx(now / 1e9, abs=1e-6)


async def test_a_protobuf_push_with_a_bad_stream_keeps_the_good_ones(logs_api: LogsApi) -> None:
    assert logs_api.app.logs is not None
    service = logs_api.app.logs.service
    now = time.time_ns()
    body = _promtail_protobuf(
        [
            push_pb2.StreamAdapter(
                labels='{cluster="pb-mixed"}',
                entries=[
                    push_pb2.EntryAdapter(timestamp=_timestamp(now), line="good one"),
                    push_pb2.EntryAdapter(line="no time: the server's"),
                ],
            ),
            push_pb2.StreamAdapter(
                labels='{cluster="pb-mixed" job="x"}',
                entries=[push_pb2.EntryAdapter(timestamp=_timestamp(now), line="refused")],
            ),
        ]
    )
    before = service.now()
    status, text = await _post(logs_api.loki_url, body, PROMTAIL_HEADERS)
    assert status == 400
    message = json.loads(text)["message"]
    after = service.now()
    assert "accepted 2 lines" in message
    assert 'streams[1].labels \'{cluster="pb-mixed" job="x"}\' at character 21' in message
    assert "expected ',' or '}' between labels" in message
    found = {line: t for _, line, t in await logs_api.search_timed('{cluster="pb-mixed"}')}
    assert set(found) == {"good one", "no time: the server's"}
    assert found["good one"] == pytest.approx(now / 1e9, abs=1e-6)
    assert before <= found["no time: the server's"] <= after


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        (b"\x0a\x03abc", "application/x-protobuf", 400, "not snappy block-compressed"),
        (
            bytes(cramjam.snappy.compress(b"\x0a\x00")),
            "application/x-protobuf",
            400,
            "snappy's framed (stream) format",
        ),
        (
            bytes(cramjam.snappy.compress_raw(b"\xff\xff\xff")),
            "application/x-protobuf",
            400,
            "not a protobuf logproto.PushRequest",
        ),
        (
            b"\x80\x80\x80\x80\x08",  # claims 2 GiB once decompressed
            "application/x-protobuf",
            400,
            "more than 67108864",
        ),
        (b"streams=1", "application/x-www-form-urlencoded", 415, "application/x-protobuf"),
        (b"{}", "text/plain", 415, "application/json"),
    ],
)
async def test_bad_push_bodies_say_what_to_send(
    logs_api: LogsApi, body: bytes, content_type: str, status: int, words: str
) -> None:
    headers = {**PROMTAIL_HEADERS, "Content-Type": content_type}
    answered, text = await _post(logs_api.loki_url, body, headers)
    assert answered == status
    assert words in json.loads(text)["message"]


async def test_a_push_of_more_lines_than_one_ingest_batch_is_taken_whole(logs_api: LogsApi) -> None:
    # Promtail's default batch is 1 MiB: of short lines, more than an ingest batch (10,000).
    now = time.time_ns()
    entries = [
        push_pb2.EntryAdapter(timestamp=_timestamp(now + i), line=f"n{i}") for i in range(12_000)
    ]
    body = _promtail_protobuf([push_pb2.StreamAdapter(labels='{cluster="big"}', entries=entries)])
    status, text = await _post(logs_api.loki_url, body, PROMTAIL_HEADERS)
    assert status == 204, text
    for i in (0, 9_999, 10_000, 11_999):
        assert [line for _, line in await logs_api.search(f'{{cluster="big"}} |= "n{i}"')] == [
            f"n{i}"
        ]


async def test_a_json_push_without_a_content_type_is_read_as_json(logs_api: LogsApi) -> None:
    body = json.dumps({"streams": [{"stream": {"cluster": "untyped"}, "values": [["0", "hi"]]}]})
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            logs_api.loki_url,
            data=body.encode(),
            headers={"Authorization": f"Bearer {TEST_TOKEN}"},
            skip_auto_headers=["Content-Type"],
        ) as response,
    ):
        assert response.status == 204
    assert [line for _, line in await logs_api.search('{cluster="untyped"}')] == ["hi"]


async def test_syslog_both_framings(logs_api: LogsApi) -> None:
    sd = f'[clustergenie@32473 token="{TEST_TOKEN}" cluster="edge"]'
    msgs = [
        f"<11>1 2026-12-01T10:00:00Z edge-7 nginx 42 - {sd} octet framed error".encode(),
        f"<14>1 2026-12-01T10:00:01Z edge-7 nginx 42 - {sd} newline framed info".encode(),
        b"<14>1 2026-12-01T10:00:02Z edge-7 nginx 42 - - no token, refused",
        b"not syslog at all",
    ]
    reader, writer = await asyncio.open_connection("127.0.0.1", logs_api.syslog_port)
    writer.write(
        f"{len(msgs[0])} ".encode() + msgs[0] + msgs[1] + b"\n" + msgs[2] + b"\n" + msgs[3] + b"\n"
    )
    await writer.drain()
    found = await logs_api.wait_lines('{cluster="edge"}', 2)
    assert sorted((labels["level"], line) for labels, line in found) == [
        ("error", "octet framed error"),
        ("info", "newline framed info"),
    ]
    assert found[0][0]["droplet"] == "edge-7"
    assert found[0][0]["source"] == "nginx"
    writer.close()
    assert logs_api.app.logs is not None
    assert logs_api.app.logs.syslog is not None
    assert logs_api.app.logs.syslog.refused == 1
    assert logs_api.app.logs.syslog.malformed == 1


RSYSLOGD = shutil.which("rsyslogd") or "/usr/sbin/rsyslogd"


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Rsyslog:
    """An rsyslogd child with its own config, pid file and work directory."""

    udp_port: int
    log_path: Path


@pytest.fixture
def rsyslog(logs_api: LogsApi, tmp_path: Path) -> Iterator[Rsyslog]:
    """rsyslogd receiving on a UDP port and forwarding each message twice to our syslog port
    over TCP, octet-counted and newline-framed, with the token in structured data."""
    if not Path(RSYSLOGD).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("rsyslogd is missing: setup.sh installs the rsyslog package")
        pytest.skip("rsyslogd is not installed (apt-get install rsyslog)")
    udp = _free_udp_port()
    work = tmp_path / "work"
    work.mkdir()
    template = (
        "<%PRI%>1 %TIMESTAMP:::date-rfc3339% %HOSTNAME% %APP-NAME% %PROCID% %MSGID% "
        f'[clustergenie@32473 token=\\"{TEST_TOKEN}\\" cluster=\\"rsys\\" '
        'framing=\\"FRAMING\\"] %msg%'
    )
    port = logs_api.syslog_port
    config = tmp_path / "rsyslog.conf"
    config.write_text(
        f'global(workDirectory="{work}")\n'
        'module(load="imudp")\n'
        f'input(type="imudp" address="127.0.0.1" port="{udp}")\n'
        f'template(name="octet" type="string" string="{template.replace("FRAMING", "octet")}")\n'
        'template(name="newline" type="string" '
        f'string="{template.replace("FRAMING", "newline")}\\n")\n'
        f'action(type="omfwd" target="127.0.0.1" port="{port}" protocol="tcp" '
        'TCP_Framing="octet-counted" template="octet")\n'
        f'action(type="omfwd" target="127.0.0.1" port="{port}" protocol="tcp" '
        'TCP_Framing="traditional" template="newline")\n'
    )
    log_path = tmp_path / "rsyslogd.log"
    with open(log_path, "w") as log_file:
        process = subprocess.Popen(
            [RSYSLOGD, "-n", "-f", str(config), "-i", str(tmp_path / "rsyslogd.pid")],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    yield Rsyslog(udp, log_path)
    process.terminate()
    process.wait(timeout=10)


async def test_a_real_rsyslog_forwards_lines_over_tcp(logs_api: LogsApi, rsyslog: Rsyslog) -> None:
    target = ("127.0.0.1", rsyslog.udp_port)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        # UDP says nothing about whether rsyslogd listens yet: warm up until a line comes back.
        async with asyncio.timeout(20):
            while not (await logs_api.search('{cluster="rsys"} |= "warm-up"')):
                s.sendto(b"<12>Dec  1 10:00:00 rsys-host app[7]: warm-up", target)
                await asyncio.sleep(0.2)  # noqa: ASYNC110 - nothing to wait on but the search
        for i in range(5):
            s.sendto(
                f"<11>Dec  1 10:00:00 rsys-host app[7]: payment failed id={i}".encode(), target
            )
    found = await logs_api.wait_lines('{cluster="rsys"} |= "payment failed"', 10)
    by_framing = {
        f: sorted(line for labels, line in found if labels["framing"] == f)
        for f in ("octet", "newline")
    }
    expected = [f"payment failed id={i}" for i in range(5)]
    assert by_framing == {"octet": expected, "newline": expected}
    labels = found[0][0]
    assert (labels["droplet"], labels["source"], labels["level"]) == ("rsys-host", "app", "error")
