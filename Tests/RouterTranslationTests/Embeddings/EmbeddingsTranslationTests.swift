import Foundation
import WireFormats
import Testing

@testable import RouterTranslation

@Suite("OpenAI embeddings → Gemini, Cohere, Bedrock Titan and Cohere-on-Bedrock, and back")
struct EmbeddingsTranslationTests {
    func request(_ json: String) throws -> EmbeddingsRequest {
        try JSONDecoder().decode(EmbeddingsRequest.self, from: Data(json.utf8))
    }

    @Test("base64 is little-endian float32: [0.1, 0.2, 0.3] → zczMPc3MTD6amZk+ (PROTOCOLS.md §1.6)")
    func base64Encoding() {
        #expect(EmbeddingsTranslation.base64Float32([0.1, 0.2, 0.3]) == "zczMPc3MTD6amZk+")
    }

    @Test("Gemini: one input → embedContent with outputDimensionality")
    func geminiSingle() throws {
        let requests = try GeminiEmbeddingsTranslator().upstreamRequests(for: try request(#"{"model":"gemini:gemini-embedding-001","input":"hello","dimensions":768}"#), model: "gemini-embedding-001")
        #expect(requests.map(\.operationPath) == ["/v1beta/models/gemini-embedding-001:embedContent"])
        #expect(try StructuralJSON.parse(try #require(requests.first).body) == StructuralJSON.parse(#"{"content":{"parts":[{"text":"hello"}]},"outputDimensionality":768}"#))
    }

    @Test("Gemini: several inputs → batchEmbedContents with models/<m> in each entry, as the real capture sends it")
    func geminiBatch() throws {
        let requests = try GeminiEmbeddingsTranslator().upstreamRequests(for: try request(#"{"model":"g","input":["a","b"]}"#), model: "gemini-embedding-001")
        #expect(requests.map(\.operationPath) == ["/v1beta/models/gemini-embedding-001:batchEmbedContents"])
        #expect(try StructuralJSON.parse(try #require(requests.first).body) == StructuralJSON.parse(#"""
            {"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"a"}]}},
                         {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"b"}]}}]}
            """#))
    }

    @Test("Gemini answers → OpenAI list: floats by default, base64 when asked; usage 0 (Gemini reports none)")
    func geminiAnswers() throws {
        let floats = try GeminiEmbeddingsTranslator().embeddingsResponse(
            fromUpstreamBodies: [Data(#"{"embeddings":[{"values":[0.1,0.2]},{"values":[-0.5,1]}]}"#.utf8)],
            for: try request(#"{"model":"gemini:e","input":["a","b"],"encoding_format":"float"}"#), reportedInputTokens: nil)
        #expect(try StructuralJSON.encoded(floats) == (try StructuralJSON.parse(#"""
            {"object":"list","model":"gemini:e","usage":{"prompt_tokens":0,"total_tokens":0},
             "data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]},{"object":"embedding","index":1,"embedding":[-0.5,1]}]}
            """#)))
        let base64 = try GeminiEmbeddingsTranslator().embeddingsResponse(
            fromUpstreamBodies: [Data(#"{"embedding":{"values":[0.1,0.2,0.3]}}"#.utf8)],
            for: try request(#"{"model":"gemini:e","input":"a","encoding_format":"base64"}"#), reportedInputTokens: nil)
        #expect(base64.data.first?.embedding == .base64("zczMPc3MTD6amZk+"))
    }

    @Test("Cohere /v2/embed: texts, search_document, float embeddings, output_dimension; billed units as usage")
    func cohere() throws {
        let openAI = try request(#"{"model":"cohere:embed-v4.0","input":["a","b"],"dimensions":256,"user":"u"}"#)
        let requests = try CohereEmbeddingsTranslator().upstreamRequests(for: openAI, model: "embed-v4.0")
        let first = try #require(requests.first)
        #expect(first.operationPath == "/v2/embed")
        #expect(first.dropped.map(\.kind) == ["user"])
        #expect(try StructuralJSON.parse(first.body) == StructuralJSON.parse(#"""
            {"model":"embed-v4.0","texts":["a","b"],"input_type":"search_document","embedding_types":["float"],"output_dimension":256}
            """#))
        let answer = try CohereEmbeddingsTranslator().embeddingsResponse(fromUpstreamBodies: [Data(#"""
            {"id":"e1","embeddings":{"float":[[0.5],[0.25]]},"texts":["a","b"],"meta":{"billed_units":{"input_tokens":2}},"response_type":"embeddings_by_type"}
            """#.utf8)], for: openAI, reportedInputTokens: nil)
        #expect(answer.data.map(\.embedding) == [.floats([0.5]), .floats([0.25])])
        #expect(answer.usage == .init(promptTokens: 2))
    }

    @Test("real Cohere embed 404 → OpenAI not_found_error with Cohere's message")
    func cohereError() throws {
        let (status, body) = try #require(try CassetteSSEReader.errorBodies("cohere/embed-error.vcrpy.json").first)
        let error = CohereEmbeddingsTranslator().openAIError(fromUpstreamBody: body, status: status)
        #expect(status == 404 && error.type == "not_found_error")
        #expect(error.message.hasPrefix("model 'nonexistent' not found"))
    }

    @Test("Bedrock Titan v2: one InvokeModel per input (fan-out), dimensions and normalize, token counts summed")
    func titan() throws {
        let openAI = try request(#"{"model":"bedrock:amazon.titan-embed-text-v2:0","input":["a","b"],"dimensions":256,"encoding_format":"base64"}"#)
        let requests = try BedrockTitanEmbeddingsTranslator().upstreamRequests(for: openAI, model: "amazon.titan-embed-text-v2:0")
        #expect(requests.map(\.operationPath) == Array(repeating: "/model/amazon.titan-embed-text-v2%3A0/invoke", count: 2))
        #expect(try requests.map { try StructuralJSON.parse($0.body) } == [
            try StructuralJSON.parse(#"{"inputText":"a","dimensions":256,"normalize":true}"#),
            try StructuralJSON.parse(#"{"inputText":"b","dimensions":256,"normalize":true}"#),
        ])
        let answer = try BedrockTitanEmbeddingsTranslator().embeddingsResponse(fromUpstreamBodies: [
            Data(#"{"embedding":[0.1,0.2,0.3],"inputTextTokenCount":3}"#.utf8),
            Data(#"{"embedding":[0.1,0.2,0.3],"inputTextTokenCount":4}"#.utf8),
        ], for: openAI, reportedInputTokens: nil)
        #expect(answer.data.map(\.index) == [0, 1])
        #expect(answer.data.first?.embedding == .base64("zczMPc3MTD6amZk+"))
        #expect(answer.usage == .init(promptTokens: 7))
    }

    @Test("Bedrock Titan v1 takes neither dimensions nor normalize: dimensions is reported")
    func titanV1() throws {
        let requests = try BedrockTitanEmbeddingsTranslator().upstreamRequests(for: try request(#"{"model":"t","input":"a","dimensions":256}"#), model: "amazon.titan-embed-text-v1")
        #expect(try StructuralJSON.parse(try #require(requests.first).body) == StructuralJSON.parse(#"{"inputText":"a"}"#))
        #expect(requests.first?.dropped.map(\.kind) == ["dimensions"])
    }

    @Test("Cohere on Bedrock: one call with texts and input_type, both answer shapes, token count from the header")
    func bedrockCohere() throws {
        let openAI = try request(#"{"model":"bedrock:cohere.embed-english-v3","input":["a","b"]}"#)
        let requests = try BedrockCohereEmbeddingsTranslator().upstreamRequests(for: openAI, model: "cohere.embed-english-v3")
        #expect(requests.map(\.operationPath) == ["/model/cohere.embed-english-v3/invoke"])
        #expect(try StructuralJSON.parse(try #require(requests.first).body) == StructuralJSON.parse(#"{"texts":["a","b"],"input_type":"search_document","embedding_types":["float"]}"#))
        for body in [#"{"id":"x","embeddings":[[1],[2]],"response_type":"embeddings_floats","texts":["a","b"]}"#,
                     #"{"id":"x","embeddings":{"float":[[1],[2]]},"response_type":"embeddings_by_type","texts":["a","b"]}"#] {
            let answer = try BedrockCohereEmbeddingsTranslator().embeddingsResponse(fromUpstreamBodies: [Data(body.utf8)], for: openAI, reportedInputTokens: 5)
            #expect(answer.data.map(\.embedding) == [.floats([1]), .floats([2])])
            #expect(answer.usage == .init(promptTokens: 5))
        }
    }

    @Test("refused before any call: token input, empty input, unknown encoding_format, too many texts")
    func invalidRequests() throws {
        let translators: [any EmbeddingsTranslator] = [GeminiEmbeddingsTranslator(), CohereEmbeddingsTranslator(), BedrockTitanEmbeddingsTranslator(), BedrockCohereEmbeddingsTranslator()]
        let many = "[" + Array(repeating: #""x""#, count: 200).joined(separator: ",") + "]"
        for translator in translators {
            for json in [#"{"model":"m","input":[1,2,3]}"#, #"{"model":"m","input":[]}"#, #"{"model":"m","input":"a","encoding_format":"int8"}"#, #"{"model":"m","input":\#(many)}"#] {
                let error = try #require(throws: TranslationError.self) { try translator.upstreamRequests(for: try request(json), model: "m") }
                #expect(error.status == 400)
            }
        }
    }

    @Test("an answer with fewer vectors than inputs is a 502, not a short list")
    func vectorCountMismatch() throws {
        let error = try #require(throws: TranslationError.self) {
            try GeminiEmbeddingsTranslator().embeddingsResponse(fromUpstreamBodies: [Data(#"{"embeddings":[{"values":[1]}]}"#.utf8)],
                                                                for: try request(#"{"model":"m","input":["a","b"]}"#), reportedInputTokens: nil)
        }
        #expect(error.status == 502)
    }

    @Test("Gemini and Bedrock error bodies become OpenAI errors")
    func errors() {
        let gemini = GeminiEmbeddingsTranslator().openAIError(fromUpstreamBody: Data(#"{"error":{"code":429,"message":"Resource exhausted","status":"RESOURCE_EXHAUSTED"}}"#.utf8), status: 429)
        #expect(gemini.message == "Resource exhausted" && gemini.type == "rate_limit_error")
        let bedrock = BedrockTitanEmbeddingsTranslator().openAIError(fromUpstreamBody: Data(#"{"message":"Malformed input request"}"#.utf8), status: 400)
        #expect(bedrock.message == "Malformed input request" && bedrock.type == "invalid_request_error")
    }
}
