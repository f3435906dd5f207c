import Foundation
import MockProviders
import TestSupport
import Testing

@Suite("Env file")
struct EnvironmentFileTests {
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("archestra-env-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("the OpenAI endpoint sets the proxy's and the SDK's variables")
    func variables() {
        let endpoint = EmulatorEndpoint(provider: "openai", host: "127.0.0.1", port: 9100, basePath: "/v1", apiKey: OpenAIEmulator.apiKey)
        let variables = MockEnvironment.variables(for: [endpoint])
        #expect(variables.map(\.name) == ["ARCHESTRA_OPENAI_BASE_URL", "OPENAI_BASE_URL", "OPENAI_API_KEY", "ARCHESTRA_CHAT_OPENAI_API_KEY"])
        #expect(variables.map(\.value) == ["http://127.0.0.1:9100/v1", "http://127.0.0.1:9100/v1", "sk-archestra-mock-openai", "sk-archestra-mock-openai"])
    }

    @Test("values are shell-quoted so that sh reads them back unchanged")
    func shellQuoting() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("mock.env").path
        let tricky = #"it's $HOME `x` "q" \n"#
        try MockEnvironment.writeEnvFile([(name: "TRICKY", value: tricky)], to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == #"export TRICKY='it'\''s $HOME `x` "q" \n'"# + "\n")

        let shell = try await runTool("/bin/sh", ["-c", #". "$0" && printf %s "$TRICKY""#, path])
        #expect(shell.succeeded, "\(shell.errors)")
        #expect(String(decoding: shell.output, as: UTF8.self) == tricky)
    }

    @Test("writing replaces the file whole and leaves no temporary file behind")
    func atomicReplace() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("mock.env").path
        try MockEnvironment.writeEnvFile([(name: "A", value: "old")], to: path)
        try MockEnvironment.writeEnvFile([(name: "A", value: "new"), (name: "B", value: "2")], to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "export A='new'\nexport B='2'\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["mock.env"])
    }

    @Test("a write into a missing directory throws and creates nothing")
    func failedWrite() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("missing/mock.env").path
        #expect(throws: (any Error).self) { try MockEnvironment.writeEnvFile([(name: "A", value: "1")], to: path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [])
    }
}
