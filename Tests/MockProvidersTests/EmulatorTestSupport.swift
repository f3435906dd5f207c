import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

/// Helpers shared by the emulator tests: an app around the OpenAI router, authorised requests,
/// JSON and SSE parsing of answers.
enum EmulatorTestSupport {
    static func makeApplication() -> some ApplicationProtocol {
        Application(
            router: CompatibleEmulator.makeRouter(profile: OpenAIEmulator.profile),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0))
        )
    }

    static func headers(scenario: String? = nil, key: String? = OpenAIEmulator.apiKey) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        if let scenario, let name = HTTPField.Name("x-mock-scenario") { headers[name] = scenario }
        return headers
    }

    /// POSTs `body` with the accepted key and returns the response.
    static func post(
        _ client: some TestClientProtocol,
        _ path: String,
        _ body: JSONValue,
        scenario: String? = nil
    ) async throws -> TestResponse {
        try await client.execute(
            uri: path,
            method: .post,
            headers: Self.headers(scenario: scenario),
            body: ByteBuffer(bytes: body.encodedData())
        )
    }

    static func json(_ response: TestResponse) throws -> JSONValue {
        try JSONValue(parsing: Data(response.body.readableBytesView))
    }

    /// The SSE events of a whole body, in order.
    static func events(_ response: TestResponse) -> [SSEEvent] {
        Self.events(String(buffer: response.body))
    }

    static func events(_ text: String) -> [SSEEvent] {
        text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { SSEEvent(parsing: $0) }
    }

    /// The JSON of every `data:` event except `[DONE]`.
    static func dataObjects(_ response: TestResponse) throws -> [JSONValue] {
        try Self.events(response).filter { $0.data != "[DONE]" }.map { try JSONValue(parsing: Data($0.data.utf8)) }
    }

    static func keys(_ value: JSONValue?) -> Set<String> {
        Set(value?.objectValue?.keys.map { $0 } ?? [])
    }
}
