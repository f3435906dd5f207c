import NIOCore
import Proxy
import Testing

/// Inputs `scripts/fuzz summarisers` found (kept under Fuzz/crashes/summarisers/): a dialect's
/// summariser must refuse what is not JSON, as the policies and the upstream would.
@Suite
struct RequestSummaryFuzzRegressionTests {
    /// An Anthropic request from a cassette with one byte of a string turned into 0xB0, which is
    /// not UTF-8 (Fuzz/crashes/summarisers/crash-0e6683b8…). JSONDecoder checks only the strings
    /// it reads (`model`, `stream`), so the summariser accepted it.
    static let notUTF8: [UInt8] =
        Array(#"{"max_tokens":8192,"messages":[{"role":"user","content":[{"type":"text","text":"Two names for "#.utf8) + [0xB0]
        + Array(#" pet pelican, be brief"}]}],"model":"claude-haiku-4-5-20251001","temperature":1.0,"thinking":{"type":"enabled","budget_tokens":1024},"stream":true}"#.utf8)

    /// A chat request whose second `content` key (a duplicate, which JSONDecoder skips without
    /// reading) holds 0xFF 0xFF (Fuzz/crashes/summarisers/crash-fafc5312…): Bedrock's summariser,
    /// which parses the whole body, accepted it too.
    static let notUTF8InDuplicateKey: [UInt8] =
        Array(#"{"modelId":"m","messages":[{"role":"user","content":"hi","content":""#.utf8) + [0xFF, 0xFF] + Array(#""}],"model":"m"}"#.utf8)

    static let dialects: [(any ProviderDialect, String)] = [
        (OpenAIDialect(), "/chat/completions"),
        (AnthropicDialect(), "/v1/messages"),
        (GeminiDialect(), "/v1beta/models/gemini-2.0-flash:generateContent"),
        (CohereDialect(), "/v2/chat"),
        (BedrockDialect(), "/model/anthropic.claude-3-haiku-20240307-v1:0/converse"),
    ]

    @Test(arguments: 0..<5)
    func bodyThatIsNotUTF8IsMalformedJSON(index: Int) throws {
        let (dialect, path) = Self.dialects[index]
        #expect(throws: ProxyError.self) {
            _ = try dialect.summarize(requestBody: ByteBuffer(bytes: Self.notUTF8), nativePath: path)
        }
        do {
            _ = try dialect.summarize(requestBody: ByteBuffer(bytes: Self.notUTF8), nativePath: path)
        } catch {
            #expect(error.code == .malformedJSON)
        }
        // The same body with a UTF-8 character in place of the stray byte is accepted.
        var valid = Self.notUTF8
        valid[valid.firstIndex(of: 0xB0)!] = UInt8(ascii: "a")
        _ = try dialect.summarize(requestBody: ByteBuffer(bytes: valid), nativePath: path)
    }

    @Test(arguments: 0..<5)
    func duplicateKeyThatIsNotUTF8IsMalformedJSON(index: Int) throws {
        let (dialect, path) = Self.dialects[index]
        #expect(throws: ProxyError.self) {
            _ = try dialect.summarize(requestBody: ByteBuffer(bytes: Self.notUTF8InDuplicateKey), nativePath: path)
        }
    }

    /// A path whose last colon comes before `/models/` (Fuzz/crashes/summarisers/crash-e185a6b2…, a
    /// path-line input): slicing between them trapped, so one request stopped the process.
    @Test(arguments: ["/v1:x/models/m", "/x:/models/", ":/models/gemini-2.0-flash"])
    func geminiPathWithColonBeforeModelsIsNoModelMethod(path: String) throws {
        #expect(GeminiModelMethod(path: path) == nil)
        let dialect = GeminiDialect()
        #expect(dialect.requiresJSONBody(nativePath: path) == false)
        let summary = try dialect.summarize(requestBody: ByteBuffer(string: #"{"contents":[]}"#), nativePath: path)
        #expect(summary.model == nil)
    }
}
