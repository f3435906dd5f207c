package import WireFormats

/// An OpenAI Responses request (`POST /responses`), as far as the router honours it over chat.
///
/// Field names follow the openai SDK's `ResponseCreateParamsBase`. Decoding is tolerant: the
/// tools, `tool_choice`, `text` and `reasoning` are also kept raw so the answer can echo them as
/// OpenAI does, and every top-level field not modelled is kept in ``unknownFields`` to be
/// reported as dropped.
package struct ResponsesRequest: Sendable, Equatable, Decodable {
    package var model: String
    package var input: ResponsesInput
    package var instructions: String?
    /// Every tool as sent (function and hosted); ``functionTools`` are the ones chat can take.
    package var tools: [JSONValue]
    package var toolChoice: JSONValue?
    package var parallelToolCalls: Bool?
    package var temperature: Double?
    package var topP: Double?
    package var maxOutputTokens: Int?
    /// `{"format":{"type":"text"|"json_object"|"json_schema",…},"verbosity":…}`.
    package var text: JSONValue?
    /// `{"effort":…,"summary":…}`.
    package var reasoning: JSONValue?
    package var stream: Bool?
    package var store: Bool?
    package var previousResponseID: String?
    package var metadata: [String: String]?
    package var user: String?
    package var unknownFields: [String: JSONValue]

    package init(model: String, input: ResponsesInput, instructions: String? = nil, tools: [JSONValue] = [],
                 toolChoice: JSONValue? = nil, stream: Bool? = nil) {
        self.model = model
        self.input = input
        self.instructions = instructions
        self.tools = tools
        self.toolChoice = toolChoice
        self.stream = stream
        self.unknownFields = [:]
    }

    package var isStreaming: Bool { stream ?? false }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, input, instructions, tools, temperature, text, reasoning, stream, store, metadata, user
        case toolChoice = "tool_choice"
        case parallelToolCalls = "parallel_tool_calls"
        case topP = "top_p"
        case maxOutputTokens = "max_output_tokens"
        case previousResponseID = "previous_response_id"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(String.self, forKey: .model)
        input = try container.decodeIfPresent(ResponsesInput.self, forKey: .input) ?? .items([])
        instructions = try container.decodeIfPresent(String.self, forKey: .instructions)
        tools = try container.decodeIfPresent([JSONValue].self, forKey: .tools) ?? []
        toolChoice = try container.decodeIfPresent(JSONValue.self, forKey: .toolChoice)
        parallelToolCalls = try container.decodeIfPresent(Bool.self, forKey: .parallelToolCalls)
        temperature = try container.decodeIfPresent(Double.self, forKey: .temperature)
        topP = try container.decodeIfPresent(Double.self, forKey: .topP)
        maxOutputTokens = try container.decodeIfPresent(Int.self, forKey: .maxOutputTokens)
        text = try container.decodeIfPresent(JSONValue.self, forKey: .text)
        reasoning = try container.decodeIfPresent(JSONValue.self, forKey: .reasoning)
        stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
        store = try container.decodeIfPresent(Bool.self, forKey: .store)
        previousResponseID = try container.decodeIfPresent(String.self, forKey: .previousResponseID)
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata)
        user = try container.decodeIfPresent(String.self, forKey: .user)

        let known = Set(CodingKeys.allCases.map(\.stringValue))
        let any = try decoder.container(keyedBy: AnyCodingKey.self)
        var unknown: [String: JSONValue] = [:]
        for key in any.allKeys where !known.contains(key.stringValue) {
            let value = try any.decode(JSONValue.self, forKey: key)
            if !value.isNull { unknown[key.stringValue] = value }
        }
        unknownFields = unknown
    }
}

/// `input`: a string (one user message) or a list of items.
package enum ResponsesInput: Sendable, Equatable, Decodable {
    case text(String)
    case items([ResponsesInputItem])

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .items(try container.decode([ResponsesInputItem].self))
        }
    }
}

/// One input item. Items without `type` are messages (the SDK's `EasyInputMessage`).
package enum ResponsesInputItem: Sendable, Equatable, Decodable {
    /// Roles `user`, `system`, `developer`, `assistant`.
    case message(role: String, content: ResponsesMessageContent)
    case functionCall(callID: String, name: String, arguments: String)
    case functionCallOutput(callID: String, output: ResponsesMessageContent)
    /// Any other item (`reasoning`, `item_reference`, hosted tool calls…), reported as dropped.
    case other(type: String)

    private enum CodingKeys: String, CodingKey {
        case type, role, content, name, arguments, output
        case callID = "call_id"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decodeIfPresent(String.self, forKey: .type) ?? "message"
        switch type {
        case "message":
            self = .message(
                role: try container.decode(String.self, forKey: .role),
                content: try container.decodeIfPresent(ResponsesMessageContent.self, forKey: .content) ?? .text(""))
        case "function_call":
            self = .functionCall(
                callID: try container.decode(String.self, forKey: .callID),
                name: try container.decode(String.self, forKey: .name),
                arguments: try container.decodeIfPresent(String.self, forKey: .arguments) ?? "")
        case "function_call_output":
            self = .functionCallOutput(
                callID: try container.decode(String.self, forKey: .callID),
                output: try container.decodeIfPresent(ResponsesMessageContent.self, forKey: .output) ?? .text(""))
        default:
            self = .other(type: type)
        }
    }
}

/// Message content or function output: a string or a list of parts.
package enum ResponsesMessageContent: Sendable, Equatable, Decodable {
    case text(String)
    case parts([ResponsesContentPart])

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .parts(try container.decode([ResponsesContentPart].self))
        }
    }
}

/// `input_text`, `output_text` (assistant turns echoed back), `input_image`, `input_file`,
/// `refusal`; anything else is kept by type to be reported.
package enum ResponsesContentPart: Sendable, Equatable, Decodable {
    case text(String)
    case image(url: String?, fileID: String?, detail: String?)
    case file(fileID: String?, fileData: String?, fileURL: String?, filename: String?)
    case refusal(String)
    case other(type: String)

    private enum CodingKeys: String, CodingKey {
        case type, text, detail, filename, refusal
        case imageURL = "image_url"
        case fileID = "file_id"
        case fileData = "file_data"
        case fileURL = "file_url"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "input_text", "output_text", "text":
            self = .text(try container.decode(String.self, forKey: .text))
        case "input_image":
            self = .image(
                url: try container.decodeIfPresent(String.self, forKey: .imageURL),
                fileID: try container.decodeIfPresent(String.self, forKey: .fileID),
                detail: try container.decodeIfPresent(String.self, forKey: .detail))
        case "input_file":
            self = .file(
                fileID: try container.decodeIfPresent(String.self, forKey: .fileID),
                fileData: try container.decodeIfPresent(String.self, forKey: .fileData),
                fileURL: try container.decodeIfPresent(String.self, forKey: .fileURL),
                filename: try container.decodeIfPresent(String.self, forKey: .filename))
        case "refusal":
            self = .refusal(try container.decode(String.self, forKey: .refusal))
        default:
            self = .other(type: type)
        }
    }
}
