package import WireFormats

/// The body of `POST /v1beta/models/<model>:generateContent` (and `:streamGenerateContent`),
/// as far as the router writes it. Field names are Gemini's camelCase; optionals left `nil` are
/// not encoded, so a translated body carries only what the client asked for.
package struct GeminiGenerateContentRequest: Codable, Sendable, Equatable {
    package var contents: [GeminiContent]
    package var systemInstruction: GeminiContent?
    package var tools: [GeminiTool]?
    package var toolConfig: GeminiToolConfig?
    package var generationConfig: GeminiGenerationConfig?

    package init(
        contents: [GeminiContent], systemInstruction: GeminiContent? = nil, tools: [GeminiTool]? = nil,
        toolConfig: GeminiToolConfig? = nil, generationConfig: GeminiGenerationConfig? = nil
    ) {
        self.contents = contents
        self.systemInstruction = systemInstruction
        self.tools = tools
        self.toolConfig = toolConfig
        self.generationConfig = generationConfig
    }
}

/// One turn: `role` is `user` or `model` (the system instruction has none).
package struct GeminiContent: Codable, Sendable, Equatable {
    package var role: String?
    package var parts: [GeminiPart]

    package init(role: String?, parts: [GeminiPart]) {
        self.role = role
        self.parts = parts
    }

    private enum CodingKeys: String, CodingKey { case role, parts }

    /// A candidate stopped by a safety filter, or a thinking model that ran out of tokens, may
    /// come back with `content: {"role":"model"}` and no `parts`: that is an empty turn, not an error.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.role = try container.decodeIfPresent(String.self, forKey: .role)
        self.parts = try container.decodeIfPresent([GeminiPart].self, forKey: .parts) ?? []
    }
}

/// A part holds exactly one of text, inline bytes, a file reference, a function call or a
/// function response. `thought` marks a thinking summary; `thoughtSignature` is the opaque token
/// Gemini 3 requires back on the function-call part of the next request.
package struct GeminiPart: Codable, Sendable, Equatable {
    package var text: String?
    package var thought: Bool?
    package var thoughtSignature: String?
    package var inlineData: GeminiBlob?
    package var fileData: GeminiFileData?
    package var functionCall: GeminiFunctionCall?
    package var functionResponse: GeminiFunctionResponse?

    package init(
        text: String? = nil, thought: Bool? = nil, thoughtSignature: String? = nil, inlineData: GeminiBlob? = nil,
        fileData: GeminiFileData? = nil, functionCall: GeminiFunctionCall? = nil,
        functionResponse: GeminiFunctionResponse? = nil
    ) {
        self.text = text
        self.thought = thought
        self.thoughtSignature = thoughtSignature
        self.inlineData = inlineData
        self.fileData = fileData
        self.functionCall = functionCall
        self.functionResponse = functionResponse
    }

    package static func text(_ text: String) -> GeminiPart { GeminiPart(text: text) }
}

/// Bytes sent inline, base64 in JSON.
package struct GeminiBlob: Codable, Sendable, Equatable {
    package var mimeType: String
    package var data: String

    package init(mimeType: String, data: String) {
        self.mimeType = mimeType
        self.data = data
    }
}

/// A file by URI (an http(s) URL or a Files API / GCS URI); Gemini fetches it.
package struct GeminiFileData: Codable, Sendable, Equatable {
    package var mimeType: String?
    package var fileUri: String

    package init(mimeType: String?, fileUri: String) {
        self.mimeType = mimeType
        self.fileUri = fileUri
    }
}

/// `args` is a JSON object, never a string (unlike OpenAI's `arguments`). `id` is present only on
/// newer models and on Vertex; when it is, the matching response must echo it.
package struct GeminiFunctionCall: Codable, Sendable, Equatable {
    package var id: String?
    package var name: String
    package var args: JSONValue?

    package init(id: String? = nil, name: String, args: JSONValue?) {
        self.id = id
        self.name = name
        self.args = args
    }
}

/// The result of a function call, sent back in a `user` turn. `name` must be the called
/// function's name; `response` must be a JSON object.
package struct GeminiFunctionResponse: Codable, Sendable, Equatable {
    package var id: String?
    package var name: String
    package var response: JSONValue

    package init(id: String? = nil, name: String, response: JSONValue) {
        self.id = id
        self.name = name
        self.response = response
    }
}

package struct GeminiTool: Codable, Sendable, Equatable {
    package var functionDeclarations: [GeminiFunctionDeclaration]

    package init(functionDeclarations: [GeminiFunctionDeclaration]) {
        self.functionDeclarations = functionDeclarations
    }
}

/// `parameters` is Gemini's OpenAPI-subset schema, not full JSON Schema: see `GeminiSchemaSanitizer`.
package struct GeminiFunctionDeclaration: Codable, Sendable, Equatable {
    package var name: String
    package var description: String?
    package var parameters: JSONValue?

    package init(name: String, description: String? = nil, parameters: JSONValue? = nil) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}

package struct GeminiToolConfig: Codable, Sendable, Equatable {
    package var functionCallingConfig: GeminiFunctionCallingConfig

    package init(functionCallingConfig: GeminiFunctionCallingConfig) {
        self.functionCallingConfig = functionCallingConfig
    }
}

/// `mode` is `AUTO`, `ANY` (must call one of the tools, restricted to `allowedFunctionNames` when
/// given) or `NONE`.
package struct GeminiFunctionCallingConfig: Codable, Sendable, Equatable {
    package var mode: String
    package var allowedFunctionNames: [String]?

    package init(mode: String, allowedFunctionNames: [String]? = nil) {
        self.mode = mode
        self.allowedFunctionNames = allowedFunctionNames
    }
}

package struct GeminiGenerationConfig: Codable, Sendable, Equatable {
    package var temperature: Double?
    package var topP: Double?
    package var maxOutputTokens: Int?
    package var stopSequences: [String]?
    package var candidateCount: Int?
    package var seed: Int?
    package var presencePenalty: Double?
    package var frequencyPenalty: Double?
    package var responseMimeType: String?
    package var responseSchema: JSONValue?
    package var thinkingConfig: GeminiThinkingConfig?

    package init(
        temperature: Double? = nil, topP: Double? = nil, maxOutputTokens: Int? = nil, stopSequences: [String]? = nil,
        candidateCount: Int? = nil, seed: Int? = nil, presencePenalty: Double? = nil, frequencyPenalty: Double? = nil,
        responseMimeType: String? = nil, responseSchema: JSONValue? = nil, thinkingConfig: GeminiThinkingConfig? = nil
    ) {
        self.temperature = temperature
        self.topP = topP
        self.maxOutputTokens = maxOutputTokens
        self.stopSequences = stopSequences
        self.candidateCount = candidateCount
        self.seed = seed
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.responseMimeType = responseMimeType
        self.responseSchema = responseSchema
        self.thinkingConfig = thinkingConfig
    }

    /// True when no field is set: the translator then leaves `generationConfig` out entirely.
    package var isEmpty: Bool { self == GeminiGenerationConfig() }
}

/// `includeThoughts` asks for thought summaries (surfaced as `reasoning_content`); `thinkingBudget`
/// bounds the thinking tokens (Gemini 2.5), `thinkingLevel` is Gemini 3's coarse form.
package struct GeminiThinkingConfig: Codable, Sendable, Equatable {
    package var includeThoughts: Bool?
    package var thinkingBudget: Int?
    package var thinkingLevel: String?

    package init(includeThoughts: Bool? = nil, thinkingBudget: Int? = nil, thinkingLevel: String? = nil) {
        self.includeThoughts = includeThoughts
        self.thinkingBudget = thinkingBudget
        self.thinkingLevel = thinkingLevel
    }
}
