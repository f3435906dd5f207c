import AsyncHTTPClient
import Foundation
import Gateway
import HTTPTypes
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import RouterTranslation
import WireFormats

/// The model router (`/v1/model-router[/<llm-proxy-id>]/…`) on the same pipeline.
///
/// It runs the same steps as a provider route, with a front of its own: the caller authenticates
/// with a bearer gateway credential (``AuthenticateStep/authenticateModelRouterClient(_:now:)``),
/// the LLM proxy is resolved, the body is read, and its provider-qualified `model` chooses the
/// target provider. From there the request is an ordinary ``ProxyExchange`` whose client dialect
/// is OpenAI and whose upstream dialect is the target's: the target's key is selected, the
/// upstream request built, authorized and sent by the same steps. The answer is relayed as it
/// is (OpenAI-wire targets) or through a translator (``TranslatedAnswerRelay``).
extension ProxyPipeline {
    func handleModelRouter(_ request: IncomingRequest, route: ModelRouterRoute, logger: Logger) async -> ProxyResponse {
        var record = RequestLogRecord(method: request.method.rawValue, nativePath: request.path)
        record.traceParent = request.headers[.traceParent]
        record.providerID = "model-router"
        record.profileID = route.llmProxyID
        var reservation = BodyReservation()
        defer { self.bodyBudget.release(reservation.bytes) }
        do {
            return try await self.routeModel(request, route: route, record: &record, reservation: &reservation, logger: logger)
        } catch let error as ProxyError {
            return self.respond(with: error, dialect: Self.fallbackDialect, record: &record, logger: logger)
        } catch let error as TranslationError {
            record.errorCode = "translation_failed"
            return TranslatedAnswerRelay.json(error.openAIError.data, status: error.status, headers: [:], record: &record, log: self.log, logger: logger)
        } catch {
            return self.respond(with: ProxyError(code: .internalFailure, message: "The model router failed."), dialect: Self.fallbackDialect, record: &record, logger: logger)
        }
    }

    private func routeModel(
        _ request: IncomingRequest, route: ModelRouterRoute, record: inout RequestLogRecord, reservation: inout BodyReservation, logger: Logger
    ) async throws -> ProxyResponse {
        guard let operation = route.operation, request.method == (operation == .models ? .get : .post), route.modelID == nil || operation == .models else {
            throw ProxyError.unknownRoute(method: request.method.rawValue, path: request.path)
        }
        let caller = try await self.authenticate.authenticateModelRouterClient(request)
        switch caller {
        case .virtualKey(let key): record.virtualKeyID = key.id
        case .oauthClient(let client): record.oauthClientID = client.id
        case .anonymous, .providerKey: break
        }
        let profile = try await self.resolveProfile.profile(id: route.llmProxyID, caller: caller)
        record.profileID = profile.id
        guard profile.servesModelRouter else {
            throw ProxyError(
                code: .unknownProfile,
                message: "\(profile.id.uuidString.lowercased()) is a profile, not an LLM proxy: the model router serves LLM proxies and the default profile.")
        }
        if operation == .models {
            let response = try await self.modelList.respond(caller: caller, providers: self.configuration.providers, modelID: route.modelID)
            record.status = Int(response.status.code)
            record.responseBytes = response.body.contentLength ?? 0
            self.log.log(record, to: logger)
            return response
        }

        var incoming = request
        var body = try await incoming.body.collect(upTo: self.configuration.bodyLimitBytes, budget: self.bodyBudget, reservation: &reservation)
        record.requestBytes = body.readableBytes
        try ReadRequestBodyStep.requireJSONContentType(request.headers[.contentType])
        let fields = try JSONRequestFields.read(from: body)
        guard let requested = fields.model else { throw ProxyError.malformedJSON("field 'model' is missing") }
        record.model = requested
        record.isStreaming = fields.stream ?? false
        guard var model = QualifiedModelID(requested) else { throw ProxyError.unknownModel(requested, problem: "is not provider-qualified") }
        guard let provider = self.configuration.provider(id: model.providerID) else {
            throw ProxyError.unknownModel(requested, problem: "names no provider this proxy serves ('\(model.prefix)')")
        }
        record.providerID = provider.declaration.id
        // The target's rules, on the client's OpenAI body, before translation: a rule for
        // Gemini or Bedrock applies here even though their own routes carry the model in the URL.
        // The body is rewritten too, so that a translated answer names the model that answered.
        if operation != .embeddings,
            let target = try await self.optimiseModel.targetModel(provider: provider.declaration.id, model: model.nativeModel, body: body),
            case let optimised = model.replacingNativeModel(with: target),
            let rewritten = ModelFieldRewriter.replacingModel(in: body, with: optimised.description)
        {
            model = optimised
            body = rewritten
            record.baselineModel = requested
            record.model = model.description
        }
        try await self.spendLimits?.check(virtualKeyID: record.virtualKeyID, profileID: profile.id, model: record.model)

        let plan = try ModelRouterPlan.make(operation: operation, body: body, isStreaming: fields.stream ?? false, model: model, provider: provider)
        let targetRequest = IncomingRequest(
            method: .post, path: request.path, query: plan.query, headers: request.headers, clientAddress: request.clientAddress,
            body: .collected(plan.body))
        var exchange = ProxyExchange(
            routed: targetRequest, route: ProxyRoute(providerID: provider.declaration.id, profileID: profile.id, nativePath: plan.operationPath),
            provider: provider, operationPath: plan.operationPath, record: record)
        exchange.caller = caller
        exchange.profile = profile
        exchange.summary = RequestSummary(model: model.nativeModel, isStreaming: plan.isStreaming)
        try await self.selectUpstreamKey.select(&exchange)
        exchange.record.providerKeyID = exchange.upstreamKey.providerKeyID
        // On the target's own wire: the router's body is already the upstream dialect's.
        try await self.toolPolicies.evaluate(&exchange)
        // After the policies: the log keeps the body as it went upstream.
        self.captureRequestBody(&exchange)

        switch plan.relay {
        case .passThrough:
            let upstream = try await self.send(plan, exchange: &exchange, logger: logger)
            return self.relay.respond(with: upstream, exchange: exchange, logger: logger)
        case .translated(let translator, let chatRequest, let format):
            let upstream = try await self.send(plan, exchange: &exchange, logger: logger)
            let relay = TranslatedAnswerRelay(
                translator: translator, chatRequest: chatRequest, format: format, dropped: plan.dropped,
                maximumEventBytes: self.configuration.maximumStreamEventBytes, keepAliveInterval: self.configuration.streamKeepAliveInterval,
                log: self.log)
            return await relay.respond(with: upstream, exchange: exchange, logger: logger)
        case .embeddings(let translator, let embeddingsRequest, let requests):
            return try await self.embed(embeddingsRequest, requests: requests, translator: translator, plan: plan, exchange: &exchange, logger: logger)
        }
    }

    /// The router's request through the same build → authorize → call steps as a provider route.
    private func send(_ plan: ModelRouterPlan, exchange: inout ProxyExchange, logger: Logger) async throws(ProxyError) -> HTTPClientResponse {
        var upstreamRequest = try self.buildUpstreamRequest.build(exchange)
        plan.adjustHeaders(&upstreamRequest.headers, required: exchange.provider.declaration.modelRouter.requiredHeaders)
        try await self.authorizeUpstream.authorize(&upstreamRequest, exchange: &exchange)
        return try await self.callUpstream.call(upstreamRequest, exchange: &exchange, logger: logger)
    }

    /// Embeddings through a translator: one upstream call per translated request (Bedrock Titan
    /// embeds one text per call), in order; the first failure answers for all.
    private func embed(
        _ request: EmbeddingsRequest, requests: [TranslatedRequest], translator: any EmbeddingsTranslator, plan: ModelRouterPlan,
        exchange: inout ProxyExchange, logger: Logger
    ) async throws -> ProxyResponse {
        var bodies: [Data] = []
        var reportedTokens: Int?
        var headers = HTTPFields()
        for translated in requests {
            let (path, query) = ModelRouterPlan.split(translated.operationPath)
            var call = ProxyExchange(
                routed: IncomingRequest(
                    method: .post, path: exchange.request.path, query: query, headers: exchange.request.headers,
                    clientAddress: exchange.request.clientAddress, body: .collected(ByteBuffer(data: translated.body))),
                route: exchange.route, provider: exchange.provider, operationPath: path, record: exchange.record)
            call.caller = exchange.caller
            call.profile = exchange.profile
            call.summary = exchange.summary
            call.upstreamKey = exchange.upstreamKey
            let upstream = try await self.send(plan, exchange: &call, logger: logger)
            exchange.record = call.record
            headers = RouterResponseHeaders.kept(from: upstream.headers)
            let body = try await upstream.body.collect(upTo: TranslatedAnswerRelay.wholeBodyLimit)
            let status = Int(upstream.status.code)
            guard (200..<300).contains(status) else {
                let error = translator.openAIError(fromUpstreamBody: Data(buffer: body), status: status)
                RouterResponseHeaders.addRetryAfter(from: Data(buffer: body), target: exchange.provider.declaration.modelRouter, to: &headers)
                return self.answer(error.data, status: status, headers: headers, record: &exchange.record, logger: logger)
            }
            if let count = upstream.headers.first(name: "x-amzn-bedrock-input-token-count").flatMap(Int.init) {
                reportedTokens = (reportedTokens ?? 0) + count
            }
            bodies.append(Data(buffer: body))
        }
        let response = try translator.embeddingsResponse(fromUpstreamBodies: bodies, for: request, reportedInputTokens: reportedTokens)
        exchange.record.usage.merge(TokenUsage(inputTokens: response.usage.promptTokens))
        if let dropped = DroppedContent.headerValue(for: plan.dropped) { headers[RouterResponseHeaders.droppedContent] = dropped }
        return self.answer(try TranslationJSON.encode(response), status: 200, headers: headers, record: &exchange.record, logger: logger)
    }

    private func answer(_ body: Data, status: Int, headers: HTTPFields, record: inout RequestLogRecord, logger: Logger) -> ProxyResponse {
        TranslatedAnswerRelay.json(body, status: status, headers: headers, record: &record, log: self.log, logger: logger)
    }
}
