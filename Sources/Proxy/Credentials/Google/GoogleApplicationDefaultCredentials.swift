import Foundation
import WireFormats

/// Google's Application Default Credentials, in the standard order, resolved from the environment:
///
/// 1. `ARCHESTRA_GEMINI_VERTEX_AI_CREDENTIALS_FILE` (archestra's own variable);
/// 2. `GOOGLE_APPLICATION_CREDENTIALS`;
/// 3. gcloud's user credentials, `$CLOUDSDK_CONFIG/application_default_credentials.json`
///    (default `~/.config/gcloud/`), when the file exists;
/// 4. the GCE metadata server at `GCE_METADATA_HOST` (default `metadata.google.internal`).
///
/// A file named by a variable must be readable and valid: a bad file fails the start, naming the
/// variable, instead of falling through to another identity.
package enum GoogleApplicationDefaultCredentials {
    package static let cloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform"
    package static let googleTokenURI = "https://oauth2.googleapis.com/token"

    package static func provider(from environment: ProviderEnvironment, scopes: [String] = [cloudPlatformScope]) throws(ConfigurationError) -> any GoogleTokenProvider {
        let caBundle = environment.string("ARCHESTRA_UPSTREAM_CA_BUNDLE")
        for variable in ["ARCHESTRA_GEMINI_VERTEX_AI_CREDENTIALS_FILE", "GOOGLE_APPLICATION_CREDENTIALS"] {
            if let path = environment.string(variable) {
                return try Self.provider(file: path, variable: variable, sourceName: "the credentials file \(variable)", scopes: scopes, caBundle: caBundle)
            }
        }
        if let path = Self.gcloudCredentialsPath(environment), FileManager.default.fileExists(atPath: path) {
            return try Self.provider(
                file: path, variable: "CLOUDSDK_CONFIG", sourceName: "gcloud's application default credentials (\(path))", scopes: scopes, caBundle: caBundle
            )
        }
        return GoogleMetadataTokenProvider(host: environment.string("GCE_METADATA_HOST") ?? "metadata.google.internal", scopes: scopes)
    }

    /// `$CLOUDSDK_CONFIG/application_default_credentials.json`, else under `$HOME/.config/gcloud`.
    static func gcloudCredentialsPath(_ environment: ProviderEnvironment) -> String? {
        if let directory = environment.string("CLOUDSDK_CONFIG") { return directory + "/application_default_credentials.json" }
        guard let home = environment.string("HOME") else { return nil }
        return home + "/.config/gcloud/application_default_credentials.json"
    }

    /// The provider for a `service_account` or `authorized_user` JSON file. Errors name the
    /// variable and the missing field, never a value.
    static func provider(file path: String, variable: String, sourceName: String, scopes: [String], caBundle: String?) throws(ConfigurationError) -> any GoogleTokenProvider {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(variable: variable, problem: "names a file that cannot be read")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ConfigurationError(variable: variable, problem: "names a file that is not a JSON object")
        }
        func field(_ name: String) throws(ConfigurationError) -> String {
            guard let value = object[name] as? String, !value.isEmpty else {
                throw ConfigurationError(variable: variable, problem: "names a credentials file without '\(name)'")
            }
            return value
        }
        let tokenURI = try Self.tokenURI(object["token_uri"] as? String, variable: variable)
        switch object["type"] as? String {
        case "service_account":
            let key: RS256SigningKey
            do {
                key = try RS256SigningKey(pem: try field("private_key"))
            } catch let error as ConfigurationError {
                throw error
            } catch {
                throw ConfigurationError(variable: variable, problem: "names a credentials file whose 'private_key' is not an RSA PEM key")
            }
            return GoogleServiceAccountTokenProvider(
                clientEmail: try field("client_email"), privateKeyID: object["private_key_id"] as? String, key: key,
                tokenURI: tokenURI, scopes: scopes, sourceName: "\(sourceName) (service account)", caBundle: caBundle
            )
        case "authorized_user":
            return GoogleAuthorizedUserTokenProvider(
                clientID: try field("client_id"), clientSecret: try field("client_secret"), refreshToken: try field("refresh_token"),
                tokenURI: tokenURI, sourceName: "\(sourceName) (authorized user)", caBundle: caBundle
            )
        case let type?:
            throw ConfigurationError(variable: variable, problem: "names a credentials file of type '\(type)', which is not supported (service_account, authorized_user)")
        case nil:
            throw ConfigurationError(variable: variable, problem: "names a credentials file without 'type'")
        }
    }

    /// The file's `token_uri` (validated like every configured URL), else Google's.
    static func tokenURI(_ value: String?, variable: String) throws(ConfigurationError) -> String {
        guard let value, !value.isEmpty else { return Self.googleTokenURI }
        guard let components = URLComponents(string: value), let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            components.host?.isEmpty == false
        else {
            throw ConfigurationError(variable: variable, problem: "names a credentials file whose 'token_uri' is not an http(s) URL")
        }
        return value
    }
}
