import Hummingbird
package import HTTPTypes
import WireFormats

/// Checks the client's key the way the profile's provider does and answers with the provider's
/// own unauthorized body. `/healthz` is open.
struct CompatibleAuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let profile: CompatibleEmulatorProfile

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/healthz" { return try await next(request, context) }
        let presented: String?
        switch self.profile.authentication {
        case .bearer, .optionalBearer:
            presented = OpenAIAuthenticationMiddleware<Context>.bearerKey(in: request.headers)
        case .azureKey:
            let apiKey = request.headers[.azureAPIKey].flatMap { $0.isEmpty ? nil : $0 }
            presented = apiKey ?? OpenAIAuthenticationMiddleware<Context>.bearerKey(in: request.headers)
            // Keyless: a bearer JWT is an Entra ID token, checked for signature and audience.
            if apiKey == nil, let token = presented, EntraMockTokenAuthority.looksLikeJWT(token) {
                try AzureOpenAIEmulator.requireEntraToken(token, path: request.uri.path)
                return try await next(request, context)
            }
        }
        guard let presented else {
            if self.profile.authentication == .optionalBearer { return try await next(request, context) }
            throw self.profile.unauthorized(nil)
        }
        guard ConstantTimeComparison.equal(self.profile.apiKey, presented) else {
            throw self.profile.unauthorized(OpenAIAuthenticationMiddleware<Context>.masked(presented))
        }
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    package static let azureAPIKey = Self(literal: "api-key")
}
