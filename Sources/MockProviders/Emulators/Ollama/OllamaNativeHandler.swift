import Foundation
package import Hummingbird
import NIOCore
package import WireFormats
import HTTPTypes

/// Ollama's native API (`PROTOCOLS.md` §7.1): `/api/chat` answering in NDJSON lines (streaming
/// unless `"stream": false`), `/api/embed`, `/api/tags`, `/api/version`. Errors are
/// `{"error":"<text>"}`. Replies and tool calls follow the OpenAI emulator's rules; tool-call
/// `arguments` are objects, durations nanoseconds.
package struct OllamaNativeHandler: Sendable {
    let gate: DialectScenarioGate

    /// Fixed so identical requests give identical bodies.
    static let createdAt = "2025-01-01T00:00:00.000000000Z"
    static let embeddingDimensions = 768

    package static let models: [JSONValue] = [
        Self.model("llama3.2:latest", family: "llama", parameterSize: "3.2B", size: 2_019_393_189),
        Self.model("qwen3:latest", family: "qwen3", parameterSize: "8.2B", size: 5_225_388_164),
        Self.model("nomic-embed-text:latest", family: "nomic-bert", parameterSize: "137M", size: 274_302_450),
    ]

    package func chat(_ request: Request, context: some RequestContext) async throws -> Response {
        let (body, model, scenario) = try await Self.read(request, context: context)
        let messages = body["messages"]?.arrayValue ?? []
        let conversation = OpenAIConversation(chatMessages: messages)
        let toolCalls: [OpenAIPlannedToolCall]
        do {
            toolCalls = try OpenAIToolCallPlanner.plan(tools: body["tools"]?.arrayValue, toolChoice: nil, conversation: conversation)
        } catch {
            throw Self.error(.badRequest, error.body["error"]?["message"]?.stringValue ?? "Invalid tools")
        }
        let reply = DeterministicReply(for: conversation).truncated(to: body["options"]?["num_predict"]?.intValue)
        let admitted = try await self.gate.admit(scenario, model: model)
        try Self.requirePulled(model)

        var lines: [JSONValue] = []
        var finalMessage: [String: JSONValue] = ["role": "assistant", "content": ""]
        if !toolCalls.isEmpty {
            let calls = JSONValue.array(toolCalls.map { toolCall in
                ["function": ["name": .string(toolCall.name), "arguments": (try? JSONValue(parsing: Data(toolCall.arguments.utf8))) ?? [:]]]
            })
            lines.append(Self.line(model: model, message: ["role": "assistant", "content": "", "tool_calls": calls], done: false))
            finalMessage["tool_calls"] = calls
        } else {
            lines += reply.deltas.map { Self.line(model: model, message: ["role": "assistant", "content": .string($0)], done: false) }
            finalMessage["content"] = .string(reply.text)
        }
        let evalCount = toolCalls.isEmpty ? reply.deltas.count : toolCalls.count
        let doneReason = reply.wasTruncated && toolCalls.isEmpty ? "length" : "stop"
        let isStreaming = body["stream"]?.boolValue ?? true  // the API streams unless told not to

        guard isStreaming else {
            let done = Self.done(model: model, message: .object(finalMessage), reason: doneReason, prompt: conversation.promptTokens, eval: evalCount)
            let script = try StreamScript(scenario: admitted, frameCount: 1)
            return OpenAIResponseFactory.json(ByteBuffer(bytes: done.encodedData()), script: script)
        }
        lines.append(Self.done(model: model, message: ["role": "assistant", "content": ""], reason: doneReason, prompt: conversation.promptTokens, eval: evalCount))
        let frames = lines.map { ByteBuffer(string: $0.encodedString() + "\n") }
        let script = try StreamScript(scenario: admitted, frameCount: frames.count)
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: ResponseBody { writer in
            try await ScriptedBodyWriter.write(frames, script: script, to: &writer)
        })
    }

    package func embed(_ request: Request, context: some RequestContext) async throws -> Response {
        let (body, model, scenario) = try await Self.read(request, context: context)
        let inputs: [String]
        switch body["input"] {
        case .string(let text)?: inputs = [text]
        case .array(let items)?: inputs = items.compactMap(\.stringValue)
        default: throw Self.error(.badRequest, "invalid input type")
        }
        let admitted = try await self.gate.admit(scenario, model: model)
        try Self.requirePulled(model)
        let embeddings = inputs.map { input -> JSONValue in
            DeterministicEmbedding.json(DeterministicEmbedding.vector(for: input, dimensions: Self.embeddingDimensions))
        }
        let answer: JSONValue = [
            "model": .string(model), "embeddings": .array(embeddings), "total_duration": 14_143_917, "load_duration": 1_019_500,
            "prompt_eval_count": .int(inputs.reduce(0) { $0 + DeterministicReply.wordCount(of: $1) }),
        ]
        return OpenAIResponseFactory.json(ByteBuffer(bytes: answer.encodedData()), script: try StreamScript(scenario: admitted, frameCount: 1))
    }

    package func tags(_ request: Request, context: some RequestContext) async throws -> Response {
        _ = try await self.gate.admit(MockScenario.fromHeader(request.headers), model: "")
        let answer: JSONValue = ["models": .array(Self.models)]
        return OpenAIResponseFactory.json(ByteBuffer(bytes: answer.encodedData()), script: .plain)
    }

    package func version() -> Response {
        let answer: JSONValue = ["version": "0.6.3"]
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.encodedData())))
    }

    /// The body as an object, the model without its `@scenario`, and the scenario.
    static func read(_ request: Request, context: some RequestContext) async throws -> ([String: JSONValue], String, MockScenario?) {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard let parsed = try? JSONValue(parsing: Data(buffer.readableBytesView)), let object = parsed.objectValue else {
            throw Self.error(.badRequest, "invalid character looking for beginning of value")
        }
        guard let requested = object["model"]?.stringValue, !requested.isEmpty else {
            throw Self.error(.badRequest, "model is required")
        }
        let (model, modelScenario) = try MockScenario.split(model: requested)
        return (object, model, try MockScenario.fromHeader(request.headers) ?? modelScenario)
    }

    /// The names of the models this "server" has pulled, as `/api/tags` lists them.
    static let pulled: Set<String> = Set(Self.models.compactMap { $0["name"]?.stringValue })

    /// Ollama answers a model it has not pulled with 404 (after any scenario the test asked for,
    /// which stands for the server's own failure). A name without a tag means `:latest`, as in Ollama.
    static func requirePulled(_ model: String) throws(EmulatorError) {
        let name = model.contains(":") ? model : "\(model):latest"
        guard Self.pulled.contains(name) else {
            throw Self.error(.notFound, "model \"\(model)\" not found, try pulling it first")
        }
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> EmulatorError {
        EmulatorError(status: status, body: ["error": .string(message)])
    }

    static func line(model: String, message: JSONValue, done: Bool) -> JSONValue {
        ["model": .string(model), "created_at": .string(Self.createdAt), "message": message, "done": .bool(done)]
    }

    static func done(model: String, message: JSONValue, reason: String, prompt: Int, eval: Int) -> JSONValue {
        [
            "model": .string(model), "created_at": .string(Self.createdAt), "message": message, "done_reason": .string(reason), "done": true,
            "total_duration": 100_000_000, "load_duration": 1_000_000, "prompt_eval_count": .int(prompt),
            "prompt_eval_duration": 1_000_000, "eval_count": .int(eval), "eval_duration": 1_000_000,
        ]
    }

    static func model(_ name: String, family: String, parameterSize: String, size: Int) -> JSONValue {
        [
            "name": .string(name), "model": .string(name), "modified_at": .string(Self.createdAt), "size": .int(size),
            "digest": .string(StableHash.hex(of: Data(name.utf8))),
            "details": [
                "parent_model": "", "format": "gguf", "family": .string(family), "families": [.string(family)],
                "parameter_size": .string(parameterSize), "quantization_level": "Q4_K_M",
            ],
        ]
    }
}
