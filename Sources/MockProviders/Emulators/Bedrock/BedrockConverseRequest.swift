import Foundation
import WireFormats

/// What the emulator reads from a Converse / ConverseStream body, validated as Bedrock does.
struct BedrockConverseRequest: Sendable {
    struct Tool: Sendable {
        var name: String
        var inputSchema: JSONValue
    }

    var lastUserText: String?
    /// Text of the tool results in the last user message, when it carries any.
    var toolResultText: String?
    var tools: [Tool]
    /// `toolChoice.tool.name`, when a specific tool is forced.
    var forcedToolName: String?
    var maxTokens: Int?
    var reasoningEnabled: Bool
    var inputTokens: Int

    init(body: JSONValue) throws(BedrockEmulatorError) {
        guard body.objectValue != nil else { throw .validation("Malformed input request, please reformat your input and try again.") }
        guard let messages = body["messages"]?.arrayValue, !messages.isEmpty else {
            throw .validation("A conversation must start with a user message. Try again with a conversation that starts with a user message.")
        }
        var words = 0
        var lastUserText: String?
        var toolResultText: String?
        for (index, message) in messages.enumerated() {
            guard let role = message["role"]?.stringValue, role == "user" || role == "assistant" else {
                throw .validation("1 validation error detected: Value at 'messages.\(index + 1).member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]")
            }
            guard let content = message["content"]?.arrayValue else {
                throw .validation("1 validation error detected: Value at 'messages.\(index + 1).member.content' failed to satisfy constraint: Member must not be null")
            }
            var texts: [String] = []
            var results: [String] = []
            for (blockIndex, block) in content.enumerated() {
                if let image = block["image"] {
                    try Self.validateImage(image, at: "messages.\(index + 1).member.content.\(blockIndex + 1).member.image")
                }
                if let text = block["text"]?.stringValue { texts.append(text) }
                if let result = block["toolResult"] {
                    for part in result["content"]?.arrayValue ?? [] {
                        if let text = part["text"]?.stringValue { results.append(text) }
                        if let json = part["json"] { results.append(json.encodedString()) }
                    }
                }
            }
            words += (texts + results).reduce(0) { $0 + Self.wordCount($1) }
            if role == "user" {
                lastUserText = texts.isEmpty ? lastUserText : texts.joined(separator: " ")
                toolResultText = results.isEmpty ? nil : results.joined(separator: " ")
            }
        }
        if messages.last?["role"]?.stringValue != "user" {
            throw .validation("A conversation must end with a user message. Try again with a conversation that ends with a user message.")
        }
        for system in body["system"]?.arrayValue ?? [] { words += Self.wordCount(system["text"]?.stringValue ?? "") }
        self.lastUserText = lastUserText
        self.toolResultText = toolResultText
        self.tools = (body["toolConfig"]?["tools"]?.arrayValue ?? []).compactMap { tool in
            guard let spec = tool["toolSpec"], let name = spec["name"]?.stringValue else { return nil }
            return Tool(name: name, inputSchema: spec["inputSchema"]?["json"] ?? .object(["type": "object"]))
        }
        self.forcedToolName = body["toolConfig"]?["toolChoice"]?["tool"]?["name"]?.stringValue
        if let maxTokens = body["inferenceConfig"]?["maxTokens"] {
            guard let value = maxTokens.intValue, value >= 1 else {
                throw .validation("1 validation error detected: Value at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1")
            }
            self.maxTokens = value
        }
        let additional = body["additionalModelRequestFields"]
        self.reasoningEnabled = additional?["thinking"]?["type"]?.stringValue == "enabled"
            || additional?["reasoningConfig"]?["type"]?.stringValue == "enabled"
        self.inputTokens = max(1, words)
    }

    static let imageFormats = ["png", "jpeg", "gif", "webp"]

    /// An image block as Bedrock checks it: `format` one of png, jpeg, gif, webp, and a `source`
    /// of base64 `bytes` (what boto3 sends for raw bytes) or an `s3Location` with a `uri`.
    /// Accepted images are otherwise ignored by the deterministic answer.
    static func validateImage(_ image: JSONValue, at path: String) throws(BedrockEmulatorError) {
        let format = image["format"]?.stringValue ?? ""
        guard Self.imageFormats.contains(format) else {
            throw .validation("1 validation error detected: Value '\(format)' at '\(path).format' failed to satisfy constraint: Member must satisfy enum value set: [\(Self.imageFormats.joined(separator: ", "))]")
        }
        guard let source = image["source"] else {
            throw .validation("1 validation error detected: Value at '\(path).source' failed to satisfy constraint: Member must not be null")
        }
        if let bytes = source["bytes"] {
            guard let text = bytes.stringValue, !text.isEmpty, Data(base64Encoded: text) != nil else {
                throw .validation("Invalid base64 value at '\(path).source.bytes'.")
            }
        } else if source["s3Location"]?["uri"]?.stringValue?.hasPrefix("s3://") != true {
            throw .validation("The image source must hold bytes or an s3Location with an s3:// uri.")
        }
    }

    static func wordCount(_ text: String) -> Int { text.split(whereSeparator: \.isWhitespace).count }
}
