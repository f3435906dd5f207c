package import Foundation
package import Gateway

/// Pipeline step 1: who is the client? Reads the credential from where the route's SDK sends it
/// (`Authorization`, `x-api-key`, `x-goog-api-key`, `api-key`, `?key=`) and classifies it, in
/// GATEWAY.md §2's order:
///
/// 1. `arch_…`: a virtual key — valid, or 401 (invalid, expired, revoked).
/// 2. `llm_at_…`: an LLM OAuth access token — valid, or 401 (invalid, expired).
/// 3. anything else: a raw provider key, passed through as it came — unless
///    `ARCHESTRA_REQUIRE_CLIENT_AUTH` is on (then 401).
/// 4. nothing: anonymous (the primary key may serve it later) — unless client auth is required.
///
/// Failed gateway-credential checks count per client address; past the limit the address gets
/// 429 with `retry-after` before any lookup. Unlike Archestra, a loopback caller is not trusted
/// implicitly (GATEWAY.md, #7229).
package struct AuthenticateStep: Sendable {
    let directory: any CredentialDirectory
    let limiter: FailedAuthenticationLimiter
    let requireClientAuthentication: Bool

    package init(directory: any CredentialDirectory, limiter: FailedAuthenticationLimiter, requireClientAuthentication: Bool) {
        self.directory = directory
        self.limiter = limiter
        self.requireClientAuthentication = requireClientAuthentication
    }

    package func authenticate(_ exchange: inout ProxyExchange, now: Date = Date()) async throws(ProxyError) {
        let credentials = exchange.request.credentials
        let provider = exchange.provider.declaration.id
        // A client may send a credential in more than one place (a raw `x-goog-api-key` and a
        // `?key=arch_…`): a gateway credential wins, so it is checked and never passed through.
        let presentedKeys = exchange.provider.declaration.clientCredentials.compactMap { $0.key(in: credentials) }
        guard let presented = presentedKeys.first(where: Self.isGatewayCredential) ?? presentedKeys.first else {
            if self.requireClientAuthentication {
                throw .clientAuthenticationRequired(provider: provider, reason: "No credential was sent.")
            }
            exchange.caller = .anonymous
            return
        }
        if presented.hasPrefix(VirtualKeyValue.prefix) {
            exchange.caller = try await self.authenticateVirtualKey(presented, address: exchange.request.clientAddress, now: now)
        } else if presented.hasPrefix(OAuthAccessTokenValue.prefix) {
            exchange.caller = try await self.authenticateAccessToken(presented, address: exchange.request.clientAddress, now: now)
        } else {
            if self.requireClientAuthentication {
                throw .clientAuthenticationRequired(provider: provider, reason: "This proxy does not accept provider keys from clients.")
            }
            exchange.caller = .providerKey
        }
    }

    /// The model router's rule (GATEWAY.md §3): `Authorization: Bearer` only, and only the
    /// gateway's own credentials — a router request has no provider yet that a raw key could
    /// belong to, so anything else is answered as an invalid OAuth access token.
    package func authenticateModelRouterClient(_ request: IncomingRequest, now: Date = Date()) async throws(ProxyError) -> Caller {
        guard let presented = ClientCredentialLocation.authorizationBearer.key(in: request.credentials) else {
            throw .clientAuthenticationRequired(
                provider: "model-router",
                reason: "Send a virtual key or an LLM OAuth client access token as 'Authorization: Bearer <token>'.")
        }
        if presented.hasPrefix(VirtualKeyValue.prefix) {
            return try await self.authenticateVirtualKey(presented, address: request.clientAddress, now: now)
        }
        if !presented.hasPrefix(OAuthAccessTokenValue.prefix) {
            try self.refuseIfLimited(request.clientAddress)
            self.limiter.recordFailure(address: request.clientAddress)
            throw .invalidCredential(kind: "LLM OAuth client access token", problem: "is not valid (the model router takes a virtual key or an LLM OAuth client access token, never a provider key)")
        }
        return try await self.authenticateAccessToken(presented, address: request.clientAddress, now: now)
    }

    private func authenticateVirtualKey(_ value: String, address: String, now: Date) async throws(ProxyError) -> Caller {
        try self.refuseIfLimited(address)
        let result = try await self.directory.lookup { try await self.directory.authenticateVirtualKey(value, now: now) }
        switch result {
        case .valid(let key): return .virtualKey(key)
        case .expired: throw .invalidCredential(kind: "virtual key", problem: "has expired")
        case .revoked: throw .invalidCredential(kind: "virtual key", problem: "was revoked")
        case .unknown:
            self.limiter.recordFailure(address: address)
            throw .invalidCredential(kind: "virtual key", problem: "is not valid")
        }
    }

    private func authenticateAccessToken(_ value: String, address: String, now: Date) async throws(ProxyError) -> Caller {
        try self.refuseIfLimited(address)
        let result = try await self.directory.lookup { try await self.directory.authenticateAccessToken(value, now: now) }
        switch result {
        case .valid(_, let client): return .oauthClient(client)
        case .expired: throw .invalidCredential(kind: "LLM OAuth client access token", problem: "has expired")
        case .unknown:
            self.limiter.recordFailure(address: address)
            throw .invalidCredential(kind: "LLM OAuth client access token", problem: "is not valid")
        }
    }

    /// A virtual key or an OAuth access token: the gateway's own credentials, which never go upstream.
    package static func isGatewayCredential(_ value: String) -> Bool {
        value.hasPrefix(VirtualKeyValue.prefix) || value.hasPrefix(OAuthAccessTokenValue.prefix)
    }

    private func refuseIfLimited(_ address: String) throws(ProxyError) {
        if let seconds = self.limiter.retryAfter(address: address) { throw .tooManyFailedAttempts(retryAfter: seconds) }
    }
}
