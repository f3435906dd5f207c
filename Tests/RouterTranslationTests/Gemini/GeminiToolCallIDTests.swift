import Foundation
import WireFormats
import Testing

@testable import RouterTranslation

@Suite("Gemini tool-call ids carrying thought signatures")
struct GeminiToolCallIDTests {
    /// A real signature from `gemini/stream-json-array-tools-gzip.vcrpy.yaml`: it has `+`, `/` and `=`.
    static let realSignature =
        "ClgBEU0yD8z3tYzbgjZ1jc6lL1fwUvm9/8OzTwh5uyHd3oc/nSNCBpsRWAFcF+8PscRgXvhCesOjie8txX87NXhaCaqynKKosUEl4w2NSfPT0Ag6Xb03vJK5Cp4BARFNMg9tOjzlvGVeodRcUkd1xZ9L+5Xu3Rl2LKFWOHdmgaXGVBh9/s7Lfg0jYNf7aGBEP7+thoyJE7jXqTvRAkUIRE8/wgObeUXOBM5y9Q66+TBVH++z2rd0J2Thj0jX9crzfhbM4LU5/H167LYHz0sJGlei/Ril/p1LARk70FX94Xun/ekK9ZM7C8ZovhzOYqoVK/AV84+gNm5AKlk="

    @Test("Archestra #7581 / Portkey #1442: a signature survives the round trip through an id, byte for byte")
    func signatureRoundTrip() {
        let id = GeminiToolCallID.encode(callID: "call_1", thoughtSignature: Self.realSignature)
        #expect(id.hasPrefix("call_1__thought__"))
        #expect(!id.contains("+") && !id.contains("/") && !id.contains("="))
        let decoded = GeminiToolCallID.decode(id)
        #expect(decoded.callID == "call_1")
        #expect(decoded.thoughtSignature == Self.realSignature)
    }

    @Test("an id without a signature is itself, both ways")
    func plainIDs() {
        #expect(GeminiToolCallID.encode(callID: "call_abc", thoughtSignature: nil) == "call_abc")
        #expect(GeminiToolCallID.encode(callID: "call_abc", thoughtSignature: "") == "call_abc")
        #expect(GeminiToolCallID.decode("call_abc").callID == "call_abc")
        #expect(GeminiToolCallID.decode("call_abc").thoughtSignature == nil)
    }

    @Test("an id that only looks encoded (bad base64url after the separator) stays whole")
    func foreignIDsStayWhole() {
        let decoded = GeminiToolCallID.decode("x__thought__not base64!")
        #expect(decoded.callID == "x__thought__not base64!")
        #expect(decoded.thoughtSignature == nil)
    }
}
