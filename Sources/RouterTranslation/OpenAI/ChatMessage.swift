package import WireFormats

/// One message of a chat request.
package struct ChatMessage: Sendable, Equatable, Codable {
    package enum Role: String, Sendable, Equatable, Codable {
        case system, developer, user, assistant, tool
        /// Legacy function-calling result (`role: "function"`, `name` + `content`).
        case function
    }

    package var role: Role
    /// nil for an assistant message that only calls tools (`content: null`).
    package var content: MessageContent?
    package var name: String?
    /// Assistant tool calls.
    package var toolCalls: [ToolCall]?
    /// The call a `tool` message answers.
    package var toolCallId: String?
    /// Reasoning a client echoes back on assistant messages (DeepSeek-style clients do).
    package var reasoningContent: String?
    /// An assistant refusal echoed back.
    package var refusal: String?

    package init(
        role: Role,
        content: MessageContent?,
        name: String? = nil,
        toolCalls: [ToolCall]? = nil,
        toolCallId: String? = nil,
        reasoningContent: String? = nil,
        refusal: String? = nil
    ) {
        self.role = role
        self.content = content
        self.name = name
        self.toolCalls = toolCalls
        self.toolCallId = toolCallId
        self.reasoningContent = reasoningContent
        self.refusal = refusal
    }

    package static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: .text(text)) }
    package static func developer(_ text: String) -> ChatMessage { ChatMessage(role: .developer, content: .text(text)) }
    package static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: .text(text)) }
    package static func user(_ parts: [ContentPart]) -> ChatMessage { ChatMessage(role: .user, content: .parts(parts)) }
    package static func assistant(_ text: String?, toolCalls: [ToolCall]? = nil) -> ChatMessage {
        ChatMessage(role: .assistant, content: text.map(MessageContent.text), toolCalls: toolCalls)
    }
    package static func tool(callId: String, _ text: String) -> ChatMessage {
        ChatMessage(role: .tool, content: .text(text), toolCallId: callId)
    }

    enum CodingKeys: String, CodingKey {
        case role, content, name
        case toolCalls = "tool_calls"
        case toolCallId = "tool_call_id"
        case reasoningContent = "reasoning_content"
        case refusal
    }
}

/// `content`: a plain string or an array of typed parts.
package enum MessageContent: Sendable, Equatable, Codable {
    case text(String)
    case parts([ContentPart])

    /// The text parts joined with "\n" (the string form as is); nil when there is no text.
    package var joinedText: String? {
        switch self {
        case .text(let text):
            return text
        case .parts(let parts):
            let texts = parts.compactMap { part -> String? in
                if case .text(let text) = part { text } else { nil }
            }
            return texts.isEmpty ? nil : texts.joined(separator: "\n")
        }
    }

    /// The content as parts (a string becomes one text part).
    package var parts: [ContentPart] {
        switch self {
        case .text(let text): [.text(text)]
        case .parts(let parts): parts
        }
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .parts(try container.decode([ContentPart].self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .parts(let parts): try container.encode(parts)
        }
    }
}

/// One part of an array `content`.
package enum ContentPart: Sendable, Equatable, Codable {
    case text(String)
    /// `{"type":"image_url","image_url":{"url":…,"detail":…}}`; see ``ImageReference``.
    case imageURL(url: String, detail: String?)
    /// `{"type":"input_audio","input_audio":{"data":<base64>,"format":"wav"|"mp3"}}`.
    case inputAudio(data: String, format: String)
    /// `{"type":"file","file":{"file_id"|"file_data"|"filename"}}`; `fileData` is a data URL.
    case file(fileId: String?, fileData: String?, filename: String?)
    /// `{"type":"refusal","refusal":…}` on echoed assistant messages.
    case refusal(String)
    /// Any other part type, kept whole so it can be reported as dropped by its type.
    case other(type: String, raw: JSONValue)

    /// The part's `type` as sent.
    package var type: String {
        switch self {
        case .text: "text"
        case .imageURL: "image_url"
        case .inputAudio: "input_audio"
        case .file: "file"
        case .refusal: "refusal"
        case .other(let type, _): type
        }
    }

    private enum CodingKeys: String, CodingKey {
        case type, text, refusal
        case imageURL = "image_url"
        case inputAudio = "input_audio"
        case file
    }

    private struct ImageURLBody: Codable { var url: String; var detail: String? }
    private struct InputAudioBody: Codable { var data: String; var format: String }
    private struct FileBody: Codable {
        var fileId: String?
        var fileData: String?
        var filename: String?
        enum CodingKeys: String, CodingKey {
            case fileId = "file_id"
            case fileData = "file_data"
            case filename
        }
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "text":
            self = .text(try container.decode(String.self, forKey: .text))
        case "image_url":
            // Some clients send `image_url` as a bare string; both forms are accepted.
            if let url = try? container.decode(String.self, forKey: .imageURL) {
                self = .imageURL(url: url, detail: nil)
            } else {
                let body = try container.decode(ImageURLBody.self, forKey: .imageURL)
                self = .imageURL(url: body.url, detail: body.detail)
            }
        case "input_audio":
            let body = try container.decode(InputAudioBody.self, forKey: .inputAudio)
            self = .inputAudio(data: body.data, format: body.format)
        case "file":
            let body = try container.decode(FileBody.self, forKey: .file)
            self = .file(fileId: body.fileId, fileData: body.fileData, filename: body.filename)
        case "refusal":
            self = .refusal(try container.decode(String.self, forKey: .refusal))
        default:
            self = .other(type: type, raw: try JSONValue(from: decoder))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        if case .other(_, let raw) = self {
            try raw.encode(to: encoder)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .text(let text):
            try container.encode(text, forKey: .text)
        case .imageURL(let url, let detail):
            try container.encode(ImageURLBody(url: url, detail: detail), forKey: .imageURL)
        case .inputAudio(let data, let format):
            try container.encode(InputAudioBody(data: data, format: format), forKey: .inputAudio)
        case .file(let fileId, let fileData, let filename):
            try container.encode(FileBody(fileId: fileId, fileData: fileData, filename: filename), forKey: .file)
        case .refusal(let text):
            try container.encode(text, forKey: .refusal)
        case .other:
            break
        }
    }
}
