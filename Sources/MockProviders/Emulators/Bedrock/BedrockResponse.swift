import Foundation
import Hummingbird
import NIOCore
import WireFormats

/// A 200 JSON answer of the Bedrock emulator, with the `x-amzn-RequestId` boto3 reads into
/// `ResponseMetadata.RequestId`.
enum BedrockResponse {
    static func json(_ value: JSONValue, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "application/json"
        headers[named: "x-amzn-RequestId"] = UUID().uuidString.lowercased()
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: value.encodedString())))
    }
}
