import Foundation
package import Hummingbird
import NIOCore
import WireFormats

/// An error in the shape boto3 parses for Bedrock (rest-json): the status, an
/// `x-amzn-ErrorType: <Code>:<namespace>` header and a `{"message": …}` body.
package struct BedrockEmulatorError: HTTPResponseError {
    package let status: HTTPResponse.Status
    package let code: String
    package let message: String

    package init(status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        self.response()
    }

    package func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[named: "x-amzn-ErrorType"] = "\(self.code):http://internal.amazon.com/coral/com.amazon.bedrock/"
        headers[named: "x-amzn-RequestId"] = UUID().uuidString.lowercased()
        let body = JSONValue.object(["message": .string(self.message)]).encodedString()
        return Response(status: self.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static let missingAuthentication = BedrockEmulatorError(status: .forbidden, code: "MissingAuthenticationTokenException", message: "Missing Authentication Token")
    static let unrecognizedClient = BedrockEmulatorError(status: .forbidden, code: "UnrecognizedClientException", message: "The security token included in the request is invalid.")
    static let expiredToken = BedrockEmulatorError(status: .forbidden, code: "ExpiredTokenException", message: "The security token included in the request is expired")
    static let invalidSignature = BedrockEmulatorError(
        status: .forbidden, code: "InvalidSignatureException",
        message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
    )
    static let incompleteSignature = BedrockEmulatorError(
        status: .forbidden, code: "IncompleteSignatureException",
        message: "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters."
    )
    static func validation(_ message: String) -> BedrockEmulatorError {
        BedrockEmulatorError(status: .badRequest, code: "ValidationException", message: message)
    }
    static let invalidModel = validation("The provided model identifier is invalid.")
    static let throttling = BedrockEmulatorError(status: .tooManyRequests, code: "ThrottlingException", message: "Too many requests, please wait before trying again.")
    static let internalServer = BedrockEmulatorError(status: .internalServerError, code: "InternalServerException", message: "The server encountered an internal error.")
    static let serviceUnavailable = BedrockEmulatorError(status: .serviceUnavailable, code: "ServiceUnavailableException", message: "The service is temporarily unavailable.")
}
