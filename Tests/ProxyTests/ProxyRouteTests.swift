import Foundation
import Proxy
import Testing

struct ProxyRouteTests {
    @Test("the segment after the provider is a profile id only when it is a UUID")
    func profileIDOnlyWhenUUID() throws {
        let profiled = try #require(ProxyRoute(rawPath: "/v1/openai/6F1C1A52-8E0B-4A8E-9D7E-2B7F3C9D4E11/chat/completions"))
        #expect(profiled.providerID == "openai")
        #expect(profiled.profileID == UUID(uuidString: "6f1c1a52-8e0b-4a8e-9d7e-2b7f3c9d4e11"))
        #expect(profiled.nativePath == "/chat/completions")

        let plain = try #require(ProxyRoute(rawPath: "/v1/openai/chat/completions"))
        #expect(plain.profileID == nil)
        #expect(plain.nativePath == "/chat/completions")

        let notUUID = try #require(ProxyRoute(rawPath: "/v1/openai/6f1c1a52-not-a-uuid/models"))
        #expect(notUUID.profileID == nil)
        #expect(notUUID.nativePath == "/6f1c1a52-not-a-uuid/models")
    }

    @Test("percent-encoding is left alone: %2F is not a separator")
    func rawPathIsKept() throws {
        let route = try #require(ProxyRoute(rawPath: "/v1/bedrock/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fus.x/converse"))
        #expect(route.nativePath == "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fus.x/converse")
    }

    @Test("provider root and profile root map to /")
    func roots() throws {
        #expect(try #require(ProxyRoute(rawPath: "/v1/openai")).nativePath == "/")
        let profileRoot = try #require(ProxyRoute(rawPath: "/v1/openai/6f1c1a52-8e0b-4a8e-9d7e-2b7f3c9d4e11"))
        #expect(profileRoot.nativePath == "/")
        #expect(profileRoot.profileID != nil)
    }

    @Test("paths outside /v1/<provider> are not routes", arguments: ["/", "/v1", "/v1/", "/v2/openai/chat", "/healthz", "/v1//chat"])
    func notRoutes(path: String) {
        #expect(ProxyRoute(rawPath: path) == nil)
    }

    @Test("a redundant prefix is dropped only on a segment boundary")
    func redundantPrefix() throws {
        let route = try #require(ProxyRoute(rawPath: "/v1/openai/v1/chat/completions"))
        #expect(route.upstreamPath(droppingAny: ["/v1"]) == "/chat/completions")
        let lookalike = try #require(ProxyRoute(rawPath: "/v1/openai/v1beta/models"))
        #expect(lookalike.upstreamPath(droppingAny: ["/v1"]) == "/v1beta/models")
    }
}
