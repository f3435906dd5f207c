import Foundation
import HTTPTypes
import Instrumentation
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// OpenTelemetry traces: one CLIENT span per proxied request, with the GenAI semantic conventions
/// (`gen_ai.*`), exported over OTLP/HTTP by swift-otel's batch processor.
///
/// The span is made when the request has ended, from its ``RequestLogRecord``, with the request's
/// arrival as its start instant: nothing happens on the request path while it runs, and with
/// tracing off (no endpoint) there is no tracer at all. Its parent is the client's `traceparent`,
/// when it sent one; the span is sampled as that parent says (parent-based, always-on without one).
struct RequestTracer<T: Tracer>: RequestRecordSink {
    let tracer: T

    func requestEnded(_ record: RequestLogRecord) {
        var context = ServiceContext.topLevel
        if let traceParent = record.traceParent {
            self.tracer.extract(TraceHeaders(traceParent: traceParent), into: &context, using: TraceHeaders.Extractor())
        }
        let operation = GenAIOperation(path: record.nativePath)
        let model = record.baselineModel ?? record.model
        let span = self.tracer.startSpan(
            model.map { "\(operation.rawValue) \($0)" } ?? operation.rawValue,
            context: context,
            ofKind: .client,
            at: WallClockInstant(record.startedAt)
        )
        var attributes = SpanAttributes()
        attributes["gen_ai.operation.name"] = operation.rawValue
        if let provider = record.providerID {
            let name = GenAIOperation.providerName(provider)
            attributes["gen_ai.provider.name"] = name
            attributes["gen_ai.system"] = name
        }
        if let model { attributes["gen_ai.request.model"] = model }
        // The model the request was sent upstream with, when an optimisation rule changed it.
        if record.baselineModel != nil, let sent = record.model { attributes["archestra.upstream_model"] = sent }
        if let input = record.usage.inputTokens { attributes["gen_ai.usage.input_tokens"] = input }
        if let output = record.usage.outputTokens { attributes["gen_ai.usage.output_tokens"] = output }
        if let read = record.usage.cacheReadTokens { attributes["gen_ai.usage.cache_read.input_tokens"] = read }
        if let write = record.usage.cacheWriteTokens { attributes["gen_ai.usage.cache_creation.input_tokens"] = write }
        if let reasoning = record.usage.reasoningTokens { attributes["gen_ai.usage.reasoning.output_tokens"] = reasoning }
        attributes["gen_ai.request.stream"] = record.isStreaming
        attributes["http.request.method"] = record.method
        if let status = record.status { attributes["http.response.status_code"] = status }
        if let profile = record.profileID { attributes["archestra.profile_id"] = profile.uuidString.lowercased() }
        if let credential = record.credentialSource { attributes["archestra.auth_method"] = credential.rawValue }
        if let virtualKey = record.virtualKeyID { attributes["archestra.virtual_key_id"] = virtualKey.uuidString.lowercased() }
        if let cost = record.cost { attributes["archestra.cost_usd"] = NSDecimalNumber(decimal: cost.total).doubleValue }
        if !record.blockedToolCalls.isEmpty { attributes["archestra.blocked_tool_calls"] = record.blockedToolCalls }
        if let firstMessage = record.firstMessageLatency {
            attributes["archestra.time_to_first_token_ms"] = Int(firstMessage.components.seconds * 1_000 + firstMessage.components.attoseconds / 1_000_000_000_000_000)
        }
        if let status = record.status, status >= 400 {
            attributes["error.type"] = record.errorCode ?? String(status)
            span.setStatus(SpanStatus(code: .error, message: nil))
        }
        span.attributes = attributes
        span.end()
    }
}

/// The tracer and the service that exports its spans, or nothing when tracing is off.
enum RequestTracing {
    /// A record sink that makes spans, and the service (swift-otel's exporter and batch
    /// processor) to run beside the proxy; it flushes on graceful shutdown.
    static func make(
        _ export: ObservabilityConfiguration.TracingExport, logger: Logger
    ) throws -> (sink: any RequestRecordSink, service: any Service) {
        var configuration = OTel.Configuration.default
        configuration.serviceName = export.serviceName
        configuration.diagnosticLogger = .custom(logger)
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.otlpExporter.endpoint = export.tracesURL
        configuration.traces.otlpExporter.protocol = export.json ? .httpJSON : .httpProtobuf
        configuration.traces.batchSpanProcessor.scheduleDelay = export.batchDelay
        configuration.propagators = [.traceContext]
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        return (RequestTracer(tracer: backend.factory), backend.service)
    }
}

/// The GenAI operation a native path performs, for the span name and `gen_ai.operation.name`.
enum GenAIOperation: String {
    case chat
    case textCompletion = "text_completion"
    case embeddings
    case generateContent = "generate_content"

    init(path: String) {
        if path.contains("embed") {
            self = .embeddings
        } else if path.contains(":generateContent") || path.contains(":streamGenerateContent") {
            self = .generateContent
        } else if path.hasSuffix("/completions") && !path.hasSuffix("/chat/completions") {
            self = .textCompletion
        } else {
            self = .chat
        }
    }

    /// `gen_ai.provider.name`'s well-known values; other providers by their proxy id.
    static func providerName(_ providerID: String) -> String {
        switch providerID {
        case "openai": "openai"
        case "anthropic": "anthropic"
        case "gemini": "gcp.gemini"
        case "vertex", "vertexai", "vertex-ai": "gcp.vertex_ai"
        case "bedrock": "aws.bedrock"
        case "azure": "azure.ai.openai"
        case "cohere": "cohere"
        case "mistral": "mistral_ai"
        case "groq": "groq"
        case "xai": "x_ai"
        case "perplexity": "perplexity"
        case "deepseek": "deepseek"
        default: providerID
        }
    }
}

/// A wall-clock instant for a span's start: the request's arrival.
struct WallClockInstant: TracerInstant {
    let nanosecondsSinceEpoch: UInt64

    init(_ date: Date) {
        self.nanosecondsSinceEpoch = UInt64(max(0, date.timeIntervalSince1970) * 1_000_000_000)
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch }
}

/// The client's trace headers, as the propagator reads them.
struct TraceHeaders: Sendable {
    let traceParent: String

    struct Extractor: Instrumentation.Extractor {
        func extract(key: String, from carrier: TraceHeaders) -> String? {
            key.lowercased() == "traceparent" ? carrier.traceParent : nil
        }
    }
}

extension HTTPField.Name {
    /// W3C Trace Context's parent header, read into ``RequestLogRecord/traceParent``.
    static let traceParent = HTTPField.Name("traceparent")!
}
