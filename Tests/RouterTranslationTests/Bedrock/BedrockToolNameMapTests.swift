import WireFormats

import Testing

@testable import RouterTranslation

@Suite("Bedrock tool names")
struct BedrockToolNameMapTests {
    @Test("names Bedrock accepts pass unchanged")
    func validNamesUnchanged() throws {
        var map = BedrockToolNameMap()
        #expect(try map.bedrockName(for: "get_weather") == "get_weather")
        #expect(try map.bedrockName(for: "a-b_C9") == "a-b_C9")
        let sixtyFour = String(repeating: "x", count: 64)
        #expect(try map.bedrockName(for: sixtyFour) == sixtyFour)
    }

    @Test("LiteLLM #24668: dotted, slashed and over-long names map to valid names and back")
    func litellm24668_invalidNamesMappedReversibly() throws {
        let originals = [
            "github.create_issue", "server/tool name", String(repeating: "a", count: 80), "überprüfen",
        ]
        var map = try BedrockToolNameMap(names: originals)
        for original in originals {
            let mapped = try map.bedrockName(for: original)
            #expect(BedrockToolNameMap.isValidBedrockName(mapped), "\(mapped) is not a valid Bedrock name")
            #expect(map.originalName(for: mapped) == original)
        }
        #expect(try map.bedrockName(for: "github.create_issue").hasPrefix("github_create_issue_"))
    }

    @Test("the mapping is deterministic: a fresh map gives the same names")
    func deterministic() throws {
        var first = BedrockToolNameMap()
        var second = BedrockToolNameMap()
        #expect(try first.bedrockName(for: "a.b") == second.bedrockName(for: "a.b"))
        #expect(try first.bedrockName(for: "a.b") != first.bedrockName(for: "a/b"))
    }

    @Test("LiteLLM #24668: an empty name is refused with a clear message")
    func emptyNameRefused() {
        var map = BedrockToolNameMap()
        #expect(throws: BedrockToolNameMap.Failure(message: "a tool name must not be empty")) {
            try map.bedrockName(for: "")
        }
    }

    @Test("a name the map never issued comes back unchanged")
    func unknownNamesPassBack() {
        #expect(BedrockToolNameMap().originalName(for: "other") == "other")
    }
}
