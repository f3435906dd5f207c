import Hummingbird
package import HTTPTypes
import WireFormats

/// Checks the client's key the way the profile's provider does and answers with the provider's
/// own unauthorized body. `/healthz` is open.
struct CompatibleAuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let profile: CompatibleEmulatorProfile

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/healthz" { return try await next(request, context) }
        let headerKey = self.profile.authentication == .azureKey ? request.headers[.azureAPIKey].flatMap { $0.isEmpty ? nil : $0 } : nil
        let bearer = headerKey == nil ? BearerCredential.key(in: request.headers) : nil
        // A bearer credential the provider takes besides its key (Azure: an Entra ID token) is
        // the profile's to judge; one it does not recognise is compared with the key below.
        if let bearer, let verify = self.profile.verifyBearerToken, try verify(bearer, request.uri.path) {
            return try await next(request, context)
        }
        let presented = headerKey ?? bearer
        guard let presented else {
            if self.profile.authentication == .optionalBearer { return try await next(request, context) }
            throw self.profile.unauthorized(nil)
        }
        guard ConstantTimeComparison.areEqual(self.profile.apiKey, presented) else {
            throw self.profile.unauthorized(BearerCredential.masked(presented))
        }
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    package static let azureAPIKey = Self(literal: "api-key")
}
