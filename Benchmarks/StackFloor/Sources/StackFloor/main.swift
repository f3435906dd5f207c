// The floor of archestra's HTTP stack: Hummingbird in front, AsyncHTTPClient behind, and nothing
// between — no authentication, no pipeline, no log. What this costs a request is what any proxy
// built on the two pays before it does anything (Benchmarks/stack_floor.py, docs/benchmarks.md).
//
//   StackFloor <upstream base URL, http://127.0.0.1:PORT/v1> <port>
//
// Relays `POST /v1/openai/…` to `<upstream>/chat/completions`, headers and body as they come.
import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[2]) else {
    print("usage: StackFloor <upstream base URL> <port>")
    exit(2)
}
let upstream = arguments[1]
// As archestra configures its client: no redirects, no decompression, no tracing spans.
var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, decompression: .disabled)
configuration.tracing.tracer = nil
let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)

let router = Router()
router.get("/healthz") { _, _ in "ok" }
router.post("/v1/openai/**") { request, _ -> Response in
    let body = try await request.body.collect(upTo: 1 << 20)
    var outgoing = HTTPClientRequest(url: upstream + "/chat/completions")
    outgoing.method = .POST
    for field in request.headers where field.name != .contentLength {
        outgoing.headers.add(name: field.name.rawName, value: field.value)
    }
    outgoing.body = .bytes(body)
    let response = try await client.execute(outgoing, deadline: .now() + .seconds(600))
    var fields = HTTPFields()
    for (name, value) in response.headers {
        guard let fieldName = HTTPField.Name(name), fieldName != .contentLength, fieldName != .connection else { continue }
        fields.append(HTTPField(name: fieldName, value: value))
    }
    let answer = try await response.body.collect(upTo: 1 << 24)
    return Response(status: .init(code: Int(response.status.code)), headers: fields, body: .init(byteBuffer: answer))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
