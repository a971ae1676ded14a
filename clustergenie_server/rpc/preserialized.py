"""Registers our servicers so that a response may be a message or its bytes, already serialized.

gRPC serializes every message it sends, even the same one again: a WatchJobs snapshot repeats the
jobs every other stream was just sent, and an Overview's backfill repeats ticks already
serialized for the live streams. A servicer that keeps the bytes (see ProtoMemo) yields them and
gRPC sends them as they are. The method handlers are built from the service descriptors, so every
method of ours is served the same way; health and reflection keep their own registration.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
from google.protobuf import message_factory
from google.protobuf.descriptor import ServiceDescriptor
from google.protobuf.message import Message
from grpc import aio

from clustergenie_server.rpc.aio_types import Handler

_HANDLERS: dict[tuple[bool, bool], Callable[..., Handler]] = {
    (False, False): grpc.unary_unary_rpc_method_handler,
    (False, True): grpc.unary_stream_rpc_method_handler,
    (True, False): grpc.stream_unary_rpc_method_handler,
    (True, True): grpc.stream_stream_rpc_method_handler,
}


def serialize(response: Message | bytes) -> bytes:
    """The bytes to send: a message serialized now, or bytes serialized earlier."""
    # `type() is`, cheaper than isinstance on this hot path, narrows only the bytes branch.
    return response if type(response) is bytes else response.SerializeToString()  # type: ignore[union-attr]


def add_servicer(server: aio.Server, service: ServiceDescriptor, servicer: Any) -> None:
    """Serve each method of `service` with the servicer's method of the same name."""
    handlers = {
        method.name: _HANDLERS[method.client_streaming, method.server_streaming](
            getattr(servicer, method.name),
            request_deserializer=message_factory.GetMessageClass(method.input_type).FromString,
            response_serializer=serialize,
        )
        for method in service.methods
    }
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler(service.full_name, handlers),)
    )
    # grpcio >= 1.63 API, which grpc-stubs 1.53 predates.
    server.add_registered_method_handlers(service.full_name, handlers)  # type: ignore[attr-defined]
