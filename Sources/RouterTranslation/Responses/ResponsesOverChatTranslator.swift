package import Foundation
package import WireFormats

/// `/responses` for providers without a native one: the Responses request becomes a chat
/// request (which the target's ``ChatTranslator`` then translates), and the chat answer or chunk
/// stream becomes a Responses object or event stream.
package struct ResponsesOverChatTranslator: Sendable {
    private let identities: CompletionIdentitySource

    /// - Parameter identities: ids and timestamps; `chatcmpl-X` becomes `resp_X`, items `msg_X_0`…
    package init(identities: CompletionIdentitySource = .random) {
        self.identities = identities
    }

    /// The chat request to send (through the target's chat translator) and what it lacks.
    package func chatRequest(for request: ResponsesRequest) throws(TranslationError) -> (ChatCompletionRequest, [DroppedContent]) {
        try ResponsesRequestTranslation.chatRequest(for: request)
    }

    /// The Responses object for a whole chat answer (first choice).
    package func response(from completion: ChatCompletion, for request: ResponsesRequest) -> ResponseObject {
        var ids = ResponseItemIDs(identity: identities.next())
        var response = ResponseObject(id: ids.responseID, createdAt: ids.createdAt, request: request)
        let choice = completion.choices.first
        response.finish(reason: choice?.finishReason)
        let itemStatus = response.status == "completed" ? "completed" : "incomplete"
        if let message = choice?.message {
            if let reasoning = message.reasoningContent, !reasoning.isEmpty {
                response.output.append(.reasoning(id: ids.next("rs"), status: itemStatus, text: reasoning))
            }
            let text = message.content ?? ""
            if !text.isEmpty || message.refusal != nil || (message.toolCalls ?? []).isEmpty {
                response.output.append(.message(id: ids.next("msg"), status: itemStatus, text: text, refusal: message.refusal))
            }
            for call in message.toolCalls ?? [] {
                response.output.append(.functionCall(
                    id: ids.next("fc"), status: "completed", callID: call.id, name: call.function.name, arguments: call.function.arguments))
            }
        }
        response.usage = completion.usage.map(ResponseUsage.init(chat:))
        return response
    }

    /// A stateful translator from one chat chunk stream (any ``ChatStreamTranslator``'s output,
    /// or an OpenAI-wire upstream's) to Responses events.
    package func makeStreamTranslator(for request: ResponsesRequest) -> ResponsesStreamTranslator {
        ResponsesStreamTranslator(request: request, identity: identities.next())
    }
}

/// Ids of one response and its items, derived from one completion identity so a test's fixed
/// identity gives fixed ids: `resp_X`, then `rs_X_0`, `msg_X_1`, `fc_X_2`… in output order.
struct ResponseItemIDs {
    let responseID: String
    let createdAt: Int
    private let suffix: String
    private var counter = 0

    init(identity: CompletionIdentity) {
        suffix = identity.id.hasPrefix("chatcmpl-") ? String(identity.id.dropFirst("chatcmpl-".count)) : identity.id
        responseID = "resp_" + suffix
        createdAt = identity.created
    }

    mutating func next(_ prefix: String) -> String {
        defer { counter += 1 }
        return "\(prefix)_\(suffix)_\(counter)"
    }
}

/// One Responses stream event: `type`, `sequence_number` and the event's own fields.
package struct ResponsesStreamEvent: Sendable, Equatable, Encodable {
    package var type: String
    package var sequenceNumber: Int
    /// The other fields (`response`, `item`, `delta`, `output_index`…).
    package var fields: [String: JSONValue]

    package func encode(to encoder: any Encoder) throws {
        var object = fields
        object["type"] = .string(type)
        object["sequence_number"] = .int(sequenceNumber)
        try JSONValue.object(object).encode(to: encoder)
    }

    /// The SSE frame, `event:` matching `type` (the SDK reads `type`; other clients the name).
    package func serverSentEvent(encoder: JSONEncoder = TranslationJSON.makeEncoder()) throws(TranslationError) -> Data {
        var frame = Data("event: \(type)\ndata: ".utf8)
        frame.append(try TranslationJSON.encode(self, with: encoder))
        frame.append(contentsOf: Array("\n\n".utf8))
        return frame
    }
}
