package import WireFormats

/// An OpenAI Responses object (`object: "response"`), field names as in the openai SDK's
/// `Response`. Bifrost #1638 shipped one without `object`; every field the SDK declares
/// non-optional is always written here, null or empty where there is nothing to say.
package struct ResponseObject: Sendable, Equatable, Encodable {
    package var id: String
    package var object = "response"
    package var createdAt: Int
    /// `in_progress` (stream start), `completed`, `incomplete` or `failed`.
    package var status: String
    package var error: OpenAIErrorBody?
    /// `max_output_tokens` or `content_filter` when `status` is `incomplete`.
    package var incompleteReason: String?
    package var instructions: String?
    package var maxOutputTokens: Int?
    package var model: String
    package var output: [ResponseOutputItem]
    package var parallelToolCalls: Bool
    package var reasoning: JSONValue?
    package var temperature: Double?
    package var text: JSONValue
    package var toolChoice: JSONValue
    package var tools: [JSONValue]
    package var topP: Double?
    package var usage: ResponseUsage?
    package var user: String?
    package var metadata: [String: String]

    /// The request's settings echoed, as OpenAI does, with nothing produced yet.
    package init(id: String, createdAt: Int, request: ResponsesRequest) {
        self.id = id
        self.createdAt = createdAt
        self.status = "in_progress"
        self.instructions = request.instructions
        self.maxOutputTokens = request.maxOutputTokens
        self.model = request.model
        self.output = []
        self.parallelToolCalls = request.parallelToolCalls ?? true
        self.reasoning = request.reasoning
        self.temperature = request.temperature
        self.text = request.text ?? ["format": ["type": "text"]]
        self.toolChoice = request.toolChoice ?? "auto"
        self.tools = request.tools
        self.topP = request.topP
        self.user = request.user
        self.metadata = request.metadata ?? [:]
    }

    /// Status and incomplete reason for the chat answer's finish reason.
    package mutating func finish(reason: FinishReason?) {
        switch reason {
        case .length?:
            status = "incomplete"
            incompleteReason = "max_output_tokens"
        case .contentFilter?:
            status = "incomplete"
            incompleteReason = "content_filter"
        default:
            status = "completed"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case id, object, status, error, instructions, model, output, reasoning, temperature, text, tools, usage, user, metadata, store, truncation
        case createdAt = "created_at"
        case incompleteDetails = "incomplete_details"
        case maxOutputTokens = "max_output_tokens"
        case parallelToolCalls = "parallel_tool_calls"
        case previousResponseID = "previous_response_id"
        case toolChoice = "tool_choice"
        case topP = "top_p"
    }

    private struct ErrorBody: Encodable {
        var code: String
        var message: String
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(object, forKey: .object)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(status, forKey: .status)
        // Responses' error is {code, message}; server_error is the code for upstream failures.
        try container.encode(error.map { ErrorBody(code: $0.code ?? "server_error", message: $0.message) }, forKey: .error)
        try container.encode(incompleteReason.map { ["reason": $0] }, forKey: .incompleteDetails)
        try container.encode(instructions, forKey: .instructions)
        try container.encode(maxOutputTokens, forKey: .maxOutputTokens)
        try container.encode(model, forKey: .model)
        try container.encode(output, forKey: .output)
        try container.encode(parallelToolCalls, forKey: .parallelToolCalls)
        // Nothing is stored over chat, so there is never a previous response or a stored one.
        try container.encodeNil(forKey: .previousResponseID)
        try container.encode(false, forKey: .store)
        try container.encode(reasoning ?? .null, forKey: .reasoning)
        try container.encode(temperature, forKey: .temperature)
        try container.encode(text, forKey: .text)
        try container.encode(toolChoice, forKey: .toolChoice)
        try container.encode(tools, forKey: .tools)
        try container.encode(topP, forKey: .topP)
        try container.encode("disabled", forKey: .truncation)
        try container.encode(usage, forKey: .usage)
        try container.encode(user, forKey: .user)
        try container.encode(metadata, forKey: .metadata)
    }
}

/// One output item: a message, a function call or reasoning.
package enum ResponseOutputItem: Sendable, Equatable, Encodable {
    case message(id: String, status: String, text: String, refusal: String?)
    case functionCall(id: String, status: String, callID: String, name: String, arguments: String)
    /// Chat `reasoning_content`, as the reasoning item's `reasoning_text` content.
    case reasoning(id: String, status: String, text: String)

    package var id: String {
        switch self {
        case .message(let id, _, _, _), .functionCall(let id, _, _, _, _), .reasoning(let id, _, _): id
        }
    }

    /// The same item with another status (`completed` or `incomplete` at the end).
    package func with(status newStatus: String) -> ResponseOutputItem {
        switch self {
        case .message(let id, _, let text, let refusal): .message(id: id, status: newStatus, text: text, refusal: refusal)
        case .functionCall(let id, _, let callID, let name, let arguments):
            .functionCall(id: id, status: newStatus, callID: callID, name: name, arguments: arguments)
        case .reasoning(let id, _, let text): .reasoning(id: id, status: newStatus, text: text)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        try jsonValue.encode(to: encoder)
    }

    /// The item as OpenAI writes it (`content` parts with `annotations` and `logprobs`).
    package var jsonValue: JSONValue {
        switch self {
        case .message(let id, let status, let text, let refusal):
            var content: [JSONValue] = [ResponseOutputItem.outputTextPart(text)]
            if let refusal { content = [["type": "refusal", "refusal": .string(refusal)]] + (text.isEmpty ? [] : content) }
            return ["id": .string(id), "type": "message", "status": .string(status), "role": "assistant", "content": .array(content)]
        case .functionCall(let id, let status, let callID, let name, let arguments):
            return ["id": .string(id), "type": "function_call", "status": .string(status), "call_id": .string(callID),
                    "name": .string(name), "arguments": .string(arguments)]
        case .reasoning(let id, let status, let text):
            return ["id": .string(id), "type": "reasoning", "status": .string(status), "summary": [],
                    "content": [ResponseOutputItem.reasoningTextPart(text)]]
        }
    }

    static func outputTextPart(_ text: String) -> JSONValue {
        ["type": "output_text", "text": .string(text), "annotations": [], "logprobs": []]
    }

    static func reasoningTextPart(_ text: String) -> JSONValue {
        ["type": "reasoning_text", "text": .string(text)]
    }
}

/// Responses usage: input/output/total with their details (the SDK declares all of them).
package struct ResponseUsage: Sendable, Equatable, Encodable {
    package var inputTokens: Int
    package var cachedTokens: Int
    package var outputTokens: Int
    package var reasoningTokens: Int
    package var totalTokens: Int

    package init(chat usage: Usage) {
        inputTokens = usage.promptTokens
        cachedTokens = usage.promptTokensDetails?.cachedTokens ?? 0
        outputTokens = usage.completionTokens
        reasoningTokens = usage.completionTokensDetails?.reasoningTokens ?? 0
        totalTokens = usage.totalTokens
    }

    package func encode(to encoder: any Encoder) throws {
        let value: JSONValue = [
            "input_tokens": .int(inputTokens),
            "input_tokens_details": ["cached_tokens": .int(cachedTokens)],
            "output_tokens": .int(outputTokens),
            "output_tokens_details": ["reasoning_tokens": .int(reasoningTokens)],
            "total_tokens": .int(totalTokens),
        ]
        try value.encode(to: encoder)
    }
}
