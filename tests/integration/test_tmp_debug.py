import asyncio, time
from clustergenie_server.api.v1 import telemetry_pb2 as tel, telemetry_pb2_grpc
from .conftest import StartApi
from .test_telemetry_rpc import make_cluster

async def test_dbg(start_api: StartApi, database_url: str) -> None:
    if "mysql" in database_url: return
    api = await start_api()
    cluster = await make_cluster(api)
    stub = telemetry_pb2_grpc.TelemetryServiceStub(api.channel)
    await stub.QuerySeries(tel.QuerySeriesRequest(cluster_id=cluster.id, metrics=[13], window_seconds=600, step_seconds=60))
    app = api.app
    await api.channel.close()
    for name in ["health.enter_graceful_shutdown", "bus.aclose", "telemetry.stop", "engine.stop", "cache.aclose", "db.aclose"]:
        obj = app
        for part in name.split(".")[:-1]: obj = getattr(obj, part)
        f = getattr(obj, name.split(".")[-1])
        try:
            await asyncio.wait_for(f(), 5)
        except TimeoutError:
            print("HANG", name)
            for t_ in asyncio.all_tasks(): print(t_)
            raise
        print(name)
