import WireFormats
import Foundation
package import Hummingbird
import HTTPTypes
import Logging

/// Microsoft Entra ID (the v2 endpoints MSAL and azure-identity use), over HTTPS with the mock
/// CA because azure-identity refuses an `http://` authority:
///
/// * `GET /{tenant}/v2.0/.well-known/openid-configuration` and `GET /common/discovery/instance`
///   (MSAL's instance discovery), `GET /{tenant}/discovery/v2.0/keys` (the signing key);
/// * `POST /{tenant}/oauth2/v2.0/token`, grant `client_credentials` with a client secret or a
///   client assertion: the federated token (`AZURE_FEDERATED_TOKEN_FILE`), verified against the
///   emulated cluster's issuer, subject and audience.
///
/// Errors are Entra's, with AADSTS codes (``EntraIDError``). Access tokens are RS256 JWTs whose
/// `aud` is the scope's resource, which the Azure OpenAI and Anthropic emulators verify.
package enum EntraIDEmulator {
    package static let declaration = EmulatorDeclaration(
        provider: "entra",
        basePath: "",
        apiKey: EntraMockTokenAuthority.clientSecret,
        environmentVariables: { endpoint in
            var variables: [(name: String, value: String)] = [
                (name: "AZURE_AUTHORITY_HOST", value: endpoint.baseURL),
                (name: "AZURE_TENANT_ID", value: EntraMockTokenAuthority.tenantID),
                (name: "AZURE_CLIENT_ID", value: EntraMockTokenAuthority.clientID),
                (name: "AZURE_CLIENT_SECRET", value: EntraMockTokenAuthority.clientSecret),
            ]
            if let file = EntraMockTokenAuthority.writeFederatedTokenFile() {
                variables.append((name: "AZURE_FEDERATED_TOKEN_FILE", value: file))
            }
            // azure-identity (requests) trusts REQUESTS_CA_BUNDLE; it replaces the roots, so it
            // names the system roots plus the mock CA, never the mock CA alone.
            if let combined = MockCertificateAuthority.combinedBundlePath {
                variables.append((name: "REQUESTS_CA_BUNDLE", value: combined))
                variables.append((name: "SSL_CERT_FILE", value: combined))
            }
            // The mock CA alone, for clients that add it to their roots rather than replace them.
            if let bundle = MockCertificateAuthority.bundlePath {
                variables.append((name: "ARCHESTRA_MOCK_AZURE_CA_BUNDLE", value: bundle))
                // The proxy trusts it for Entra (and upstreams) besides the system roots.
                variables.append((name: "ARCHESTRA_UPSTREAM_CA_BUNDLE", value: bundle))
            }
            return variables
        },
        scheme: EmulatorApplication.httpsSchemeWhenAvailable,
        makeService: { host, port, logger, onListening in
            EmulatorApplication.makeHTTPSWhenAvailable(router: makeRouter(), host: host, port: port, logger: logger, onListening: onListening)
        }
    )

    package static func makeRouter<Context: RequestContext>(context: Context.Type = BasicRequestContext.self) -> Router<Context> {
        let router = Router(context: Context.self)
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        router.get("/common/discovery/instance") { request, _ in
            let authority = request.uri.queryParameters.get("authorization_endpoint").flatMap { URLComponents(string: $0) }
            let host = authority.map { c in c.port.map { "\(c.host ?? ""):\($0)" } ?? (c.host ?? "") } ?? Self.authority(request)
            let tenant = authority?.path.split(separator: "/").first.map(String.init) ?? "common"
            return EntraJSON.response(.ok, [
                "tenant_discovery_endpoint": "https://\(host)/\(tenant)/v2.0/.well-known/openid-configuration",
                "api-version": "1.1",
                "metadata": [["preferred_network": host, "preferred_cache": host, "aliases": [host]]],
            ])
        }
        router.get("/{tenant}/v2.0/.well-known/openid-configuration") { request, context in
            let tenant = context.parameters.get("tenant") ?? ""
            try Self.requireTenant(tenant)
            let base = "\(Self.scheme(request))://\(Self.authority(request))/\(tenant)"
            return EntraJSON.response(.ok, [
                "token_endpoint": "\(base)/oauth2/v2.0/token",
                "authorization_endpoint": "\(base)/oauth2/v2.0/authorize",
                "device_authorization_endpoint": "\(base)/oauth2/v2.0/devicecode",
                "jwks_uri": "\(base)/discovery/v2.0/keys",
                "issuer": "\(base)/v2.0",
                "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "tenant_region_scope": "NA",
            ])
        }
        router.get("/{tenant}/discovery/v2.0/keys") { _, _ in
            EntraJSON.response(.ok, ["keys": EntraMockTokenAuthority.jsonWebKey.map { [$0] } ?? []])
        }
        router.post("/{tenant}/oauth2/v2.0/token") { request, context in
            let body = try await request.body.collect(upTo: 64 * 1024)
            return try Self.token(tenant: context.parameters.get("tenant") ?? "", form: EntraJSON.form(String(buffer: body)))
        }
        return router
    }

    static func requireTenant(_ tenant: String) throws(EntraIDError) {
        guard tenant == EntraMockTokenAuthority.tenantID || tenant == "organizations" || tenant == "common" else {
            throw .make(
                .badRequest, "invalid_request", 90002,
                "Tenant '\(tenant)' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
            )
        }
    }

    /// The client-credentials grant.
    static func token(tenant: String, form: [String: String], now: Date = Date()) throws(EntraIDError) -> Response {
        try Self.requireTenant(tenant)
        guard form["grant_type"] == "client_credentials" else {
            throw .make(.badRequest, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '\(form["grant_type"] ?? "")'.")
        }
        guard let clientID = form["client_id"], !clientID.isEmpty else {
            throw .make(.badRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.")
        }
        guard clientID == EntraMockTokenAuthority.clientID else {
            throw .make(
                .badRequest, "unauthorized_client", 700016,
                "Application with identifier '\(clientID)' was not found in the directory '\(EntraMockTokenAuthority.tenantID)'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."
            )
        }
        let scopes = (form["scope"] ?? "").split(separator: " ").map(String.init)
        guard let scope = scopes.first(where: { $0.hasSuffix("/.default") }) else {
            throw .make(
                .badRequest, "invalid_scope", 1002012,
                "The provided value for scope \(form["scope"] ?? "") is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
            )
        }
        let resource = String(scope.dropLast("/.default".count))
        guard EntraMockTokenAuthority.knownResources.contains(resource) else {
            throw .make(
                .badRequest, "invalid_resource", 500011,
                "The resource principal named \(resource) was not found in the tenant named \(EntraMockTokenAuthority.tenantID). This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant."
            )
        }
        if let secret = form["client_secret"] {
            guard ConstantTimeComparison.areEqual(secret, EntraMockTokenAuthority.clientSecret) else {
                throw .invalidClientSecret(clientID: clientID)
            }
        } else if let assertion = form["client_assertion"] {
            guard form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" else {
                throw .make(.badRequest, "invalid_request", 50027, "Invalid JWT token. The client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.")
            }
            try Self.verifyFederatedAssertion(assertion, now: now)
        } else {
            throw .missingProof
        }
        guard let token = EntraMockTokenAuthority.accessToken(resource: resource, clientID: clientID, now: now) else {
            throw .make(.internalServerError, "temporarily_unavailable", 90033, "A transient error has occurred. Please try again.")
        }
        let lifetime = EntraMockTokenAuthority.accessTokenLifetime
        return EntraJSON.response(.ok, ["token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": token])
    }

    /// Workload identity federation: the assertion must be signed by the emulated cluster's
    /// issuer and match the app's federated credential (issuer, subject, audience), unexpired.
    static func verifyFederatedAssertion(_ assertion: String, now: Date) throws(EntraIDError) {
        guard let claims = EntraMockTokenAuthority.verifiedClaims(assertion) else {
            throw .make(.unauthorized, "invalid_client", 50013, "Assertion failed signature validation.")
        }
        guard claims["iss"] as? String == EntraMockTokenAuthority.federatedIssuer else {
            throw .make(
                .badRequest, "invalid_request", 700211,
                "No matching federated identity record found for presented assertion issuer '\(claims["iss"] as? String ?? "")'."
            )
        }
        let audiences = (claims["aud"] as? [String]) ?? [(claims["aud"] as? String) ?? ""]
        guard audiences.contains(EntraMockTokenAuthority.federatedAudience) else {
            throw .make(.badRequest, "invalid_request", 700212, "No matching federated identity record found for presented assertion audience '\(audiences.joined(separator: ","))'.")
        }
        guard claims["sub"] as? String == EntraMockTokenAuthority.federatedSubject else {
            throw .make(
                .badRequest, "invalid_request", 700213,
                "No matching federated identity record found for presented assertion subject '\(claims["sub"] as? String ?? "")'."
            )
        }
        guard let exp = (claims["exp"] as? NSNumber)?.doubleValue, exp > now.timeIntervalSince1970 else {
            throw .make(.badRequest, "invalid_client", 700024, "Client assertion is not within its valid time range.")
        }
    }

    static func authority(_ request: Request) -> String {
        request.head.authority ?? "127.0.0.1"
    }

    static func scheme(_ request: Request) -> String {
        MockCertificateAuthority.shared == nil ? "http" : "https"
    }
}
