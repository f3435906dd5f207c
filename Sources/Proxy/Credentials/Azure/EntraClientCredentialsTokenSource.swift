import Foundation
package import WireFormats
import NIOHTTP1

/// Microsoft Entra ID's client-credentials grant at
/// `{authority}/{tenant}/oauth2/v2.0/token`, proving the app with a client secret
/// (`AZURE_CLIENT_SECRET`) or with a federated token read from `AZURE_FEDERATED_TOKEN_FILE`
/// (workload identity; the file is re-read on every fetch because Kubernetes rotates it).
package struct EntraClientCredentialsTokenSource: AzureTokenSource {
    package enum Proof: Sendable {
        /// A `Secret`: a printed token source (or the authorizer holding it) never shows it.
        case clientSecret(Secret)
        case federatedTokenFile(String)
    }

    let authorityHost: String
    let tenantID: String
    let clientID: String
    let proof: Proof
    let timeout: Duration
    let caBundle: String?

    package init(authorityHost: String, tenantID: String, clientID: String, proof: Proof, timeout: Duration = .seconds(5), caBundle: String? = nil) {
        var host = authorityHost
        while host.hasSuffix("/") { host.removeLast() }
        self.authorityHost = host
        self.tenantID = tenantID
        self.clientID = clientID
        self.proof = proof
        self.timeout = timeout
        self.caBundle = caBundle
    }

    package var sourceName: String {
        switch self.proof {
        case .clientSecret: return "environment (client secret, AZURE_CLIENT_SECRET)"
        case .federatedTokenFile: return "workload identity (AZURE_FEDERATED_TOKEN_FILE)"
        }
    }

    var tokenURL: String { "\(self.authorityHost)/\(IdentityHTTPClient.percentEncoded(self.tenantID))/oauth2/v2.0/token" }

    package func token(scope: String) async throws(ProxyError) -> AzureAccessToken {
        var form = [("client_id", self.clientID), ("grant_type", "client_credentials"), ("scope", scope)]
        switch self.proof {
        case .clientSecret(let secret):
            form.append(("client_secret", secret.exposedValue))
        case .federatedTokenFile(let path):
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw .entraTokenUnavailable(source: self.sourceName, reason: "the token file named by AZURE_FEDERATED_TOKEN_FILE cannot be read")
            }
            let assertion = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !assertion.isEmpty else {
                throw .entraTokenUnavailable(source: self.sourceName, reason: "the token file named by AZURE_FEDERATED_TOKEN_FILE is empty")
            }
            form.append(("client_assertion", assertion))
            form.append(("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"))
        }
        let now = Date()
        let answer: IdentityHTTPClient.Answer
        do {
            answer = try await IdentityHTTPClient.withClient(trusting: self.caBundle) { http throws(IdentityHTTPClient.Failure) in
                try await http.send(
                    .POST, url: self.tokenURL,
                    headers: [("content-type", "application/x-www-form-urlencoded"), ("accept", "application/json")],
                    body: IdentityHTTPClient.formEncoded(form), timeout: self.timeout
                )
            }
        } catch {
            throw .entraTokenUnavailable(source: self.sourceName, reason: error.detailedReason)
        }
        return try AzureTokenResponse.parse(answer, now: now, source: self.sourceName, endpointName: "Entra ID")
    }
}
