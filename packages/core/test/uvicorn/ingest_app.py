"""A minimal ASGI ingest app for the uvicorn interop test: 202 for every POST (body length and, for JSON
traces, the trace id echoed back), counts per path and trace id at GET /counts (which resets them), and an
unhandled exception for paths ending in /boom (uvicorn answers 500 and closes the connection, as the
PandaProbe backend does after any unhandled error)."""
import collections
import json

paths = collections.Counter()
traces = collections.Counter()


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    path = scope["path"]
    if path == "/counts":
        out = json.dumps({"paths": paths, "traces": traces}).encode()
        paths.clear()
        traces.clear()
    else:
        paths[path] += 1
        if path.endswith("/boom"):
            raise RuntimeError("boom")
        trace_id = None
        if path == "/traces":
            trace_id = json.loads(body).get("trace_id")
            traces[trace_id] += 1
        out = json.dumps({"path": path, "received": len(body), "trace_id": trace_id}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(out)).encode())]
    await send({"type": "http.response.start", "status": 202 if scope["method"] == "POST" else 200, "headers": headers})
    await send({"type": "http.response.body", "body": out})
