package import Hummingbird
import Logging

/// AWS's identity endpoints on one listener: STS (`POST /`, `GET /?Action=…`), EC2 instance
/// metadata IMDSv2 (`/latest/…`) and the container credentials endpoint
/// (`/v2/credentials/…`). Their paths do not overlap, so one port serves all three and the env
/// file points `AWS_ENDPOINT_URL_STS` and `AWS_EC2_METADATA_SERVICE_ENDPOINT` at it.
package enum AWSIdentityEmulator {
    /// Path of the container credentials endpoint (`AWS_CONTAINER_CREDENTIALS_FULL_URI` =
    /// base URL + this; `…_RELATIVE_URI` = this).
    package static let containerCredentialsPath = "/v2/credentials/archestra-mock"

    package static let declaration = EmulatorDeclaration(
        provider: "aws-identity",
        basePath: "",
        apiKey: AWSMockCredentialAuthority.accessKeyID,
        environmentVariables: { endpoint in
            [
                (name: "AWS_ENDPOINT_URL_STS", value: endpoint.baseURL),
                (name: "AWS_EC2_METADATA_SERVICE_ENDPOINT", value: endpoint.baseURL + "/"),
                (name: "ARCHESTRA_MOCK_AWS_CONTAINER_CREDENTIALS_FULL_URI", value: endpoint.baseURL + containerCredentialsPath),
                (name: "ARCHESTRA_MOCK_AWS_CONTAINER_AUTHORIZATION_TOKEN", value: AWSContainerCredentialsHandler.authorizationToken),
            ]
        },
        makeService: { host, port, logger, onListening in
            EmulatorApplication.make(router: makeRouter(), host: host, port: port, logger: logger, onListening: onListening)
        }
    )

    package static func makeRouter<Context: RequestContext>(
        context: Context.Type = BasicRequestContext.self,
        credentialLifetime: Double = 6 * 3600
    ) -> Router<Context> {
        let sts = AWSSTSHandler()
        let metadata = AWSInstanceMetadataHandler(credentialLifetime: credentialLifetime)
        let container = AWSContainerCredentialsHandler(credentialLifetime: credentialLifetime)
        let router = Router(context: Context.self)
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        router.post("/") { request, context in try await sts.handle(request, context: context) }
        router.get("/") { request, context in try await sts.handle(request, context: context) }
        router.put("/latest/api/token") { request, context in try await metadata.issueToken(request, context: context) }
        router.get("/latest/**") { request, context in try await metadata.metadata(request, context: context) }
        router.get("/v2/credentials/**") { request, context in try await container.handle(request, context: context) }
        return router
    }
}
