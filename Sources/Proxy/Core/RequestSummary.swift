/// What the pipeline knows about a request after reading its body.
package struct RequestSummary: Sendable, Equatable {
    package var model: String?
    package var isStreaming: Bool

    package init(model: String? = nil, isStreaming: Bool = false) {
        self.model = model
        self.isStreaming = isStreaming
    }
}
