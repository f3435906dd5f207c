import AsyncHTTPClient
import Hummingbird
import InMemoryLogging
import Logging
import NIOCore
import NIOHTTP1

/// A POST with a JSON body and the given headers, as a native SDK sends it.
func nativeRequest(_ url: String, json: String, headers: [(String, String)] = [], method: HTTPMethod = .POST) -> HTTPClientRequest {
    var request = HTTPClientRequest(url: url)
    request.method = method
    request.headers.add(name: "content-type", value: "application/json")
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if method == .POST { request.body = .bytes(ByteBuffer(string: json)) }
    return request
}

/// An upstream route that answers with `body` as `contentType`, written in `chunks`.
func cannedUpstream(
    _ method: HTTPRequest.Method = .post,
    path: String,
    contentType: String,
    chunks: [String],
    status: HTTPResponse.Status = .ok
) -> (Router<BasicRequestContext>) -> Void {
    { router in
        router.on(RouterPath(path), method: method) { _, _ in
            Response(status: status, headers: [.contentType: contentType], body: ResponseBody { writer in
                for chunk in chunks { try await writer.write(ByteBuffer(string: chunk)) }
                try await writer.finish(nil)
            })
        }
    }
}

/// An upstream route that sends `first` and then drops the connection.
func failingUpstream(path: String, contentType: String, first: String) -> (Router<BasicRequestContext>) -> Void {
    { router in
        router.post(RouterPath(path)) { _, _ in
            Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: first))
                struct UpstreamCrashed: Error {}
                throw UpstreamCrashed()
            })
        }
    }
}

/// The one "proxied request" line a test's requests logged.
func requestLogLines(_ logs: InMemoryLogHandler) -> [InMemoryLogHandler.Entry] {
    logs.entries.filter { $0.message == "proxied request" }
}

func capturingLogger() -> (Logger, InMemoryLogHandler) {
    let logs = InMemoryLogHandler()
    return (Logger(label: "test.proxy", factory: { _ in logs }), logs)
}
