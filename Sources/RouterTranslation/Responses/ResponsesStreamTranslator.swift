package import WireFormats

/// Chat chunks → the Responses event sequence, chunk by chunk.
///
/// ```
/// response.created, response.in_progress                      (before anything else, once)
/// reasoning_content → output_item.added (reasoning), content_part.added, reasoning_text.delta…
/// content           → output_item.added (message), content_part.added, output_text.delta…
/// tool_calls[i]     → output_item.added (function_call), function_call_arguments.delta…
/// finish()          → the open items' *.done events, then response.completed
///                     (response.incomplete for length / content_filter)
/// ```
/// Every event carries the next `sequence_number`. The translator accepts chunks in any order
/// (tool calls before text, text after tool calls, argument deltas for a call never started,
/// usage before the finish reason, empty chunks, chunks after the end) without trapping —
/// Bifrost #721 panicked streaming Gemini through Responses — and ``finish()`` always ends the
/// stream with `response.completed` or `response.incomplete`, once.
package struct ResponsesStreamTranslator: Sendable {
    private enum ItemKind: Sendable { case message, reasoning, functionCall }

    /// An output item being streamed; text is accumulated in place (no copies per delta).
    private struct StreamItem: Sendable {
        var kind: ItemKind
        var id: String
        var text = ""
        var callID = ""
        var name = ""
        var isDone = false

        func item(status: String) -> ResponseOutputItem {
            switch kind {
            case .message: .message(id: id, status: status, text: text, refusal: nil)
            case .reasoning: .reasoning(id: id, status: status, text: text)
            case .functionCall: .functionCall(id: id, status: status, callID: callID, name: name, arguments: text)
            }
        }
    }

    private var response: ResponseObject
    private var ids: ResponseItemIDs
    private var nextSequenceNumber = 0
    private var hasStarted = false
    private var hasEnded = false
    private var items: [StreamItem] = []
    private var openMessage: Int?
    private var openReasoning: Int?
    /// Chat tool-call index → position in `items`.
    private var callPositions: [Int: Int] = [:]
    private var finishReason: FinishReason?
    private var usage: Usage?

    init(request: ResponsesRequest, identity: CompletionIdentity) {
        ids = ResponseItemIDs(identity: identity)
        response = ResponseObject(id: ids.responseID, createdAt: ids.createdAt, request: request)
    }

    /// Whether the terminal event went out (later chunks are ignored).
    package var isFinished: Bool { hasEnded }

    /// The events for one chat chunk; empty after the stream ended.
    package mutating func translate(_ chunk: ChatCompletionChunk) -> [ResponsesStreamEvent] {
        guard !hasEnded else { return [] }
        var events = start()
        if let chunkUsage = chunk.usage { usage = chunkUsage }
        // Choice 0 only: Responses has one output list, and chat targets are asked for n = 1.
        guard let choice = chunk.choices.first(where: { $0.index == 0 }) else { return events }
        let delta = choice.delta
        if let reasoning = delta.reasoningContent, !reasoning.isEmpty {
            events += appendReasoning(reasoning)
        }
        if let text = delta.content, !text.isEmpty {
            events += appendText(text)
        }
        for call in delta.toolCalls ?? [] {
            events += appendToolCall(call)
        }
        if let reason = choice.finishReason { finishReason = reason }
        return events
    }

    /// The closing events: open items done, then `response.completed` (or `.incomplete` when
    /// the chat answer stopped at the token limit or a content filter). Empty when already ended.
    package mutating func finish() -> [ResponsesStreamEvent] {
        guard !hasEnded else { return [] }
        var events = start()
        if items.isEmpty {
            // An answer with no output still gets its (empty) message, as the whole-answer path does.
            events += appendText("")
        }
        response.finish(reason: finishReason)
        let itemStatus = response.status == "completed" ? "completed" : "incomplete"
        for position in items.indices where !items[position].isDone {
            events += close(position, status: itemStatus)
        }
        response.output = items.map { $0.item(status: itemStatus) }
        response.usage = usage.map(ResponseUsage.init(chat:))
        hasEnded = true
        let type = response.status == "completed" ? "response.completed" : "response.incomplete"
        events.append(event(type, ["response": Self.json(response)]))
        return events
    }

    /// An upstream failure mid-stream: an `error` event, then `response.failed`. Empty when
    /// already ended.
    package mutating func fail(_ error: OpenAIErrorBody) -> [ResponsesStreamEvent] {
        guard !hasEnded else { return [] }
        var events = start()
        events.append(event("error", [
            "code": error.code.map(JSONValue.string) ?? .string(error.type), "message": .string(error.message),
            "param": error.param.map(JSONValue.string) ?? .null,
        ]))
        response.status = "failed"
        response.error = error
        response.output = items.map { $0.item(status: "incomplete") }
        response.usage = usage.map(ResponseUsage.init(chat:))
        hasEnded = true
        events.append(event("response.failed", ["response": Self.json(response)]))
        return events
    }

    // MARK: Items

    private mutating func start() -> [ResponsesStreamEvent] {
        guard !hasStarted else { return [] }
        hasStarted = true
        let snapshot = Self.json(response)
        return [event("response.created", ["response": snapshot]), event("response.in_progress", ["response": snapshot])]
    }

    private mutating func appendReasoning(_ text: String) -> [ResponsesStreamEvent] {
        var events: [ResponsesStreamEvent] = []
        if let message = openMessage { events += close(message, status: "completed") }
        let position: Int
        if let open = openReasoning {
            position = open
        } else {
            position = items.count
            items.append(StreamItem(kind: .reasoning, id: ids.next("rs")))
            openReasoning = position
            events.append(event("response.output_item.added", ["output_index": index(position), "item": items[position].item(status: "in_progress").jsonValue]))
            events.append(event("response.content_part.added", partFields(position, part: ResponseOutputItem.reasoningTextPart(""))))
        }
        items[position].text += text
        var fields = partFields(position, part: nil)
        fields["delta"] = .string(text)
        events.append(event("response.reasoning_text.delta", fields))
        return events
    }

    private mutating func appendText(_ text: String) -> [ResponsesStreamEvent] {
        var events: [ResponsesStreamEvent] = []
        if let reasoning = openReasoning { events += close(reasoning, status: "completed") }
        let position: Int
        if let open = openMessage {
            position = open
        } else {
            position = items.count
            items.append(StreamItem(kind: .message, id: ids.next("msg")))
            openMessage = position
            events.append(event("response.output_item.added", ["output_index": index(position), "item": items[position].item(status: "in_progress").jsonValue]))
            events.append(event("response.content_part.added", partFields(position, part: ResponseOutputItem.outputTextPart(""))))
        }
        guard !text.isEmpty else { return events }
        items[position].text += text
        var fields = partFields(position, part: nil)
        fields["delta"] = .string(text)
        fields["logprobs"] = []
        events.append(event("response.output_text.delta", fields))
        return events
    }

    private mutating func appendToolCall(_ call: ToolCallDelta) -> [ResponsesStreamEvent] {
        var events: [ResponsesStreamEvent] = []
        let position: Int
        if let known = callPositions[call.index], !items[known].isDone {
            position = known
            // Some upstreams send the name after the id; keep the first non-empty one.
            if items[position].name.isEmpty, let name = call.function?.name, !name.isEmpty { items[position].name = name }
        } else {
            // A call starts: the text or reasoning before it is complete, as OpenAI orders it.
            if let message = openMessage { events += close(message, status: "completed") }
            if let reasoning = openReasoning { events += close(reasoning, status: "completed") }
            position = items.count
            var item = StreamItem(kind: .functionCall, id: ids.next("fc"))
            item.callID = call.id.flatMap { $0.isEmpty ? nil : $0 } ?? "call_" + item.id
            item.name = call.function?.name ?? ""
            items.append(item)
            callPositions[call.index] = position
            events.append(event("response.output_item.added", ["output_index": index(position), "item": items[position].item(status: "in_progress").jsonValue]))
        }
        if let fragment = call.function?.arguments, !fragment.isEmpty {
            items[position].text += fragment
            events.append(event("response.function_call_arguments.delta", [
                "item_id": .string(items[position].id), "output_index": index(position), "delta": .string(fragment),
            ]))
        }
        return events
    }

    /// The done events of one item; marks it done and no longer open.
    private mutating func close(_ position: Int, status: String) -> [ResponsesStreamEvent] {
        guard items.indices.contains(position), !items[position].isDone else { return [] }
        items[position].isDone = true
        if openMessage == position { openMessage = nil }
        if openReasoning == position { openReasoning = nil }
        let item = items[position]
        var events: [ResponsesStreamEvent] = []
        switch item.kind {
        case .message:
            var done = partFields(position, part: nil)
            done["text"] = .string(item.text)
            done["logprobs"] = []
            events.append(event("response.output_text.done", done))
            events.append(event("response.content_part.done", partFields(position, part: ResponseOutputItem.outputTextPart(item.text))))
        case .reasoning:
            var done = partFields(position, part: nil)
            done["text"] = .string(item.text)
            events.append(event("response.reasoning_text.done", done))
            events.append(event("response.content_part.done", partFields(position, part: ResponseOutputItem.reasoningTextPart(item.text))))
        case .functionCall:
            events.append(event("response.function_call_arguments.done", [
                "item_id": .string(item.id), "output_index": index(position), "name": .string(item.name), "arguments": .string(item.text),
            ]))
        }
        events.append(event("response.output_item.done", ["output_index": index(position), "item": item.item(status: status).jsonValue]))
        return events
    }

    // MARK: Event building

    private func partFields(_ position: Int, part: JSONValue?) -> [String: JSONValue] {
        var fields: [String: JSONValue] = ["item_id": .string(items[position].id), "output_index": index(position), "content_index": 0]
        if let part { fields["part"] = part }
        return fields
    }

    private func index(_ position: Int) -> JSONValue { .int(position) }

    private mutating func event(_ type: String, _ fields: [String: JSONValue]) -> ResponsesStreamEvent {
        defer { nextSequenceNumber += 1 }
        return ResponsesStreamEvent(type: type, sequenceNumber: nextSequenceNumber, fields: fields)
    }

    /// The response object as a JSON value for embedding in an event. Encoding cannot fail for
    /// values that came from JSON; `{}` keeps the event well-formed if it ever did.
    private static func json(_ response: ResponseObject) -> JSONValue {
        guard let data = try? TranslationJSON.encode(response),
              let value = try? TranslationJSON.decodeUpstream(JSONValue.self, from: data, what: "response") else { return [:] }
        return value
    }
}
