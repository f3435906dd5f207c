import WireFormats
import Foundation
package import Hummingbird
import HTTPTypes
import Logging

/// Azure managed identity, over plain HTTP as the real endpoints are:
///
/// * the instance metadata service, `GET /metadata/identity/oauth2/token?api-version=…&resource=…`
///   with `Metadata: true` (without it: 400 `Required metadata header not specified`, as the real
///   capture `real-traffic/identity/azure-imds-token.vcrpy.yaml` shows), reached through
///   `AZURE_POD_IDENTITY_AUTHORITY_HOST`;
/// * the App Service / Functions endpoint, `GET /msi/token?api-version=2019-08-01&resource=…` with
///   `X-IDENTITY-HEADER`, reached through `IDENTITY_ENDPOINT` + `IDENTITY_HEADER`.
///
/// Both answer `expires_in` / `expires_on` as strings, as the real services do, with tokens from
/// ``EntraMockTokenAuthority``. The identity's client id is the emulated app's
/// (`AZURE_CLIENT_ID`), so a client that names it as a user-assigned identity is answered too.
package enum AzureManagedIdentityEmulator {
    package static let declaration = EmulatorDeclaration(
        provider: "azure-managed-identity",
        basePath: "",
        apiKey: EntraMockTokenAuthority.identityHeader,
        environmentVariables: { endpoint in
            [
                (name: "AZURE_POD_IDENTITY_AUTHORITY_HOST", value: endpoint.baseURL),
                (name: "ARCHESTRA_AZURE_IMDS_ENDPOINT", value: endpoint.baseURL),
                (name: "IDENTITY_ENDPOINT", value: endpoint.baseURL + "/msi/token"),
                (name: "IDENTITY_HEADER", value: EntraMockTokenAuthority.identityHeader),
            ]
        },
        makeService: { host, port, logger, onListening in
            EmulatorApplication.make(router: makeRouter(), host: host, port: port, logger: logger, onListening: onListening)
        }
    )

    package static func makeRouter<Context: RequestContext>(context: Context.Type = BasicRequestContext.self) -> Router<Context> {
        let router = Router(context: Context.self)
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        router.get("/metadata/identity/oauth2/token") { request, _ in
            guard HTTPField.Name("Metadata").flatMap({ request.headers[$0] })?.lowercased() == "true" else {
                // Byte for byte the real answer (content-length 88).
                return EntraJSON.response(.badRequest, bytes: Data(#"{"error":"invalid_request","error_description":"Required metadata header not specified"}"#.utf8))
            }
            return Self.token(request, apiVersions: ["2018-02-01", "2019-08-01"], epochOnly: false)
        }
        router.get("/msi/token") { request, _ in
            let presented = HTTPField.Name("X-IDENTITY-HEADER").flatMap { request.headers[$0] } ?? ""
            guard ConstantTimeComparison.areEqual(presented, EntraMockTokenAuthority.identityHeader) else {
                return EntraJSON.response(.unauthorized, [
                    "statusCode": 401, "message": "The request is missing the X-IDENTITY-HEADER header or its value is not the one in IDENTITY_HEADER.",
                ])
            }
            return Self.token(request, apiVersions: ["2019-08-01"], epochOnly: true)
        }
        return router
    }

    static func token(_ request: Request, apiVersions: Set<String>, epochOnly: Bool, now: Date = Date()) -> Response {
        let query = request.uri.queryParameters
        guard let version = query.get("api-version") else {
            return EntraJSON.response(.badRequest, ["error": "invalid_request", "error_description": "Required query variable 'api-version' is missing"])
        }
        guard apiVersions.contains(version) else {
            return EntraJSON.response(.badRequest, ["error": "invalid_request", "error_description": "Invalid version: \(version)"])
        }
        guard let resource = query.get("resource")?.removingPercentEncoding, !resource.isEmpty else {
            return EntraJSON.response(.badRequest, ["error": "invalid_request", "error_description": "Required query variable 'resource' is missing"])
        }
        if let clientID = query.get("client_id"), clientID != EntraMockTokenAuthority.clientID {
            return EntraJSON.response(.badRequest, ["error": "invalid_request", "error_description": "Identity not found"])
        }
        let normalized = resource.hasSuffix("/") ? String(resource.dropLast()) : resource
        guard EntraMockTokenAuthority.knownResources.contains(normalized),
            let token = EntraMockTokenAuthority.accessToken(resource: normalized, now: now, lifetime: 86399)
        else {
            return EntraJSON.response(.badRequest, [
                "error": "invalid_resource",
                "error_description": "AADSTS500011: The resource principal named \(resource) was not found in the tenant named \(EntraMockTokenAuthority.tenantID).",
            ])
        }
        let issued = Int(now.timeIntervalSince1970)
        var body: [String: Any] = [
            "access_token": token, "client_id": EntraMockTokenAuthority.clientID, "expires_on": String(issued + 86399),
            "resource": resource, "token_type": "Bearer",
        ]
        if !epochOnly {
            body["expires_in"] = "86399"
            body["ext_expires_in"] = "86399"
            body["not_before"] = String(issued)
        }
        return EntraJSON.response(.ok, body)
    }
}
