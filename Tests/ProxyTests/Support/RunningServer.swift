import Hummingbird
import Logging
import TestSupport

/// A stand-in upstream: a Hummingbird router the test programs, on 127.0.0.1 and a free port.
func withUpstream<Value: Sendable>(
    _ configure: (Router<BasicRequestContext>) -> Void,
    _ body: (Int) async throws -> Value
) async throws -> Value {
    try await withRunningServices({ reportPort in
        let router = Router()
        configure(router)
        return [
            Application(
                router: router,
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { await reportPort($0.localAddress?.port ?? 0) },
                logger: Logger(label: "test.upstream")
            )
        ]
    }, body)
}
