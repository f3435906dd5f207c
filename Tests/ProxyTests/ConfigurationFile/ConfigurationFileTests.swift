import Foundation
import Proxy
import Testing

/// `archestra serve --config`: the YAML file's shape, its place under the environment and flags,
/// and every way a file is refused — with the file, line and key, and never a value.
@Suite
struct ConfigurationFileTests {
    static let secret = "sk-proj-SECRETVALUE123"

    static func parse(_ text: String) throws(ConfigurationFileError) -> ConfigurationFile {
        try ConfigurationFile.parse(text, path: "archestra.yaml")
    }

    /// The refusal of `text`, which must be refused.
    static func refusal(_ text: String) throws -> ConfigurationFileError {
        do {
            _ = try Self.parse(text)
        } catch {
            return error
        }
        Issue.record("the file was accepted")
        throw CancellationError()
    }

    // MARK: - Shape

    @Test("settings are read by their variable names, with YAML's numbers, flags and lists in the environment's form, each with its line")
    func readsSettings() throws {
        let file = try Self.parse(
            """
            # The proxy
            ARCHESTRA_PORT: 9100
            ARCHESTRA_HOST: 0.0.0.0
            ARCHESTRA_REQUIRE_CLIENT_AUTH: on
            ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS: no
            ARCHESTRA_MAX_CONCURRENT_REQUESTS: 1_000
            ARCHESTRA_API_BODY_LIMIT: 10mb
            ARCHESTRA_TRUSTED_PROXIES: [10.0.0.1, 10.0.0.2]
            ARCHESTRA_OTEL_SERVICE_NAME: "on"
            ARCHESTRA_CHAT_OPENAI_API_KEY: \(Self.secret)
            ARCHESTRA_OPENAI_BASE_URL: http://127.0.0.1:1/v1
            """)
        #expect(file.settings["ARCHESTRA_PORT"] == .init(value: "9100", line: 2))
        #expect(file.settings["ARCHESTRA_HOST"]?.value == "0.0.0.0")
        #expect(file.settings["ARCHESTRA_REQUIRE_CLIENT_AUTH"]?.value == "true")
        #expect(file.settings["ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS"]?.value == "false")
        #expect(file.settings["ARCHESTRA_MAX_CONCURRENT_REQUESTS"]?.value == "1000")
        #expect(file.settings["ARCHESTRA_API_BODY_LIMIT"]?.value == "10mb")
        #expect(file.settings["ARCHESTRA_TRUSTED_PROXIES"] == .init(value: "10.0.0.1,10.0.0.2", line: 8))
        // Quoted, a word YAML would read as a flag stays the text written.
        #expect(file.settings["ARCHESTRA_OTEL_SERVICE_NAME"]?.value == "on")
        #expect(file.settings["ARCHESTRA_CHAT_OPENAI_API_KEY"]?.value == Self.secret)

        let configuration = try ProxyConfiguration(environment: file.environment(overlaidBy: [:]))
        #expect(configuration.port == 9100)
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.requireClientAuthentication)
        #expect(configuration.maximumConcurrentRequests == 1000)
        #expect(configuration.bodyLimitBytes == 10 << 20)
        #expect(configuration.trustedProxies == ["10.0.0.1", "10.0.0.2"])
        #expect(configuration.provider(id: "openai")?.baseURL == "http://127.0.0.1:1/v1")
        #expect(configuration.provider(id: "openai")?.seedAPIKey?.exposedValue == Self.secret)
    }

    @Test("an empty file, or one of comments only, sets nothing")
    func emptyFile() throws {
        #expect(try Self.parse("").settings.isEmpty)
        #expect(try Self.parse("# nothing yet\n\n").settings.isEmpty)
    }

    @Test("the file is the lowest layer: the environment replaces its values, a flag replaces both, a blank variable leaves the file's")
    func precedence() throws {
        let file = try Self.parse("ARCHESTRA_PORT: 1234\nARCHESTRA_HOST: 0.0.0.0\nARCHESTRA_SHUTDOWN_GRACE_SECONDS: 45\n")
        let fileOnly = try ProxyConfiguration(environment: file.environment(overlaidBy: [:]))
        #expect(fileOnly.port == 1234)
        #expect(fileOnly.shutdownGracePeriod == .seconds(45))

        let environment = ["ARCHESTRA_PORT": "2345", "ARCHESTRA_SHUTDOWN_GRACE_SECONDS": "  "]
        let overEnvironment = try ProxyConfiguration(environment: file.environment(overlaidBy: environment))
        #expect(overEnvironment.port == 2345)
        #expect(overEnvironment.host == "0.0.0.0")
        #expect(overEnvironment.shutdownGracePeriod == .seconds(45))

        let overFlags = try ProxyConfiguration(environment: file.environment(overlaidBy: environment), host: "127.0.0.1", port: 3456)
        #expect(overFlags.port == 3456)
        #expect(overFlags.host == "127.0.0.1")
    }

    @Test("--config wins over ARCHESTRA_CONFIG_FILE; with neither, the environment is used as it is")
    func choosingTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let flagFile = directory.appendingPathComponent("flag.yaml").path
        let variableFile = directory.appendingPathComponent("variable.yaml").path
        try "ARCHESTRA_PORT: 1111\n".write(toFile: flagFile, atomically: true, encoding: .utf8)
        try "ARCHESTRA_PORT: 2222\n".write(toFile: variableFile, atomically: true, encoding: .utf8)
        let environment = ["ARCHESTRA_CONFIG_FILE": variableFile, "OTHER": "kept"]

        let byFlag = try ConfigurationFile.resolve(flag: flagFile, environment: environment)
        #expect(byFlag.environment["ARCHESTRA_PORT"] == "1111")
        #expect(byFlag.file?.path == flagFile)
        let byVariable = try ConfigurationFile.resolve(flag: nil, environment: environment)
        #expect(byVariable.environment["ARCHESTRA_PORT"] == "2222")
        #expect(byVariable.environment["OTHER"] == "kept")
        let neither = try ConfigurationFile.resolve(flag: nil, environment: ["OTHER": "kept"])
        #expect(neither.file == nil)
        #expect(neither.environment == ["OTHER": "kept"])
    }

    // MARK: - Refusals

    @Test("an unknown key is refused with its line and the setting it probably meant")
    func unknownKeys() throws {
        #expect(
            try Self.refusal("ARCHESTRA_HOST: 0.0.0.0\nARCHESTRA_PROT: 9000\n").description
                == "archestra.yaml:2: unknown key ARCHESTRA_PROT: did you mean ARCHESTRA_PORT?")
        #expect(try Self.refusal("port: 9000\n").description == "archestra.yaml:1: unknown key port: did you mean ARCHESTRA_PORT?")
        #expect(try Self.refusal("ARCHESTRA_WIDGETS: 3\n").description.contains("unknown key ARCHESTRA_WIDGETS: see the environment variables"))
        #expect(try Self.refusal("AWS_REGION: eu-west-1\n").description.contains("cloud SDK variables stay in the environment"))
        #expect(try Self.refusal("ARCHESTRA_CONFIG_FILE: other.yaml\n").description.contains("cannot name another"))
    }

    @Test("a key that looks like a pasted secret is not echoed")
    func implausibleKeyIsNotEchoed() throws {
        let refusal = try Self.refusal("\(Self.secret): x\n")
        #expect(refusal == .unknownKey(path: "archestra.yaml", line: 1, key: nil, hint: "keys are setting names such as ARCHESTRA_PORT"))
        #expect(!refusal.description.contains("SECRETVALUE"))
    }

    @Test(
        "a value of the wrong shape is refused with its line and key",
        arguments: [
            ("ARCHESTRA_PORT:\n  value: 9000\n", 1, "ARCHESTRA_PORT", "not a mapping"),
            ("ARCHESTRA_HOST: [a, b]\n", 1, "ARCHESTRA_HOST", "not a list"),
            ("ARCHESTRA_HOST: 127.0.0.1\nARCHESTRA_PORT:\n", 2, "ARCHESTRA_PORT", "has no value"),
            ("ARCHESTRA_PORT: ~\n", 1, "ARCHESTRA_PORT", "has no value"),
            ("ARCHESTRA_TRUSTED_PROXIES:\n  - [10.0.0.1]\n", 2, "ARCHESTRA_TRUSTED_PROXIES", "plain values"),
            ("ARCHESTRA_TRUSTED_PROXIES: ['a,b']\n", 1, "ARCHESTRA_TRUSTED_PROXIES", "cannot contain a comma"),
        ])
    func wrongTypes(text: String, line: Int, key: String, problem: String) throws {
        let refusal = try Self.refusal(text)
        guard case .wrongType(let path, let refusedLine, let refusedKey, let refusedProblem) = refusal else {
            Issue.record("expected a wrong type, got \(refusal)")
            return
        }
        #expect(path == "archestra.yaml")
        #expect(refusedLine == line)
        #expect(refusedKey == key)
        #expect(refusedProblem.contains(problem))
    }

    @Test("a value the setting refuses names the file's line and the key, not the value")
    func badValues() throws {
        let file = try Self.parse("ARCHESTRA_HOST: 127.0.0.1\nARCHESTRA_PORT: 70000\nARCHESTRA_CHAT_OPENAI_API_KEY: \(Self.secret)\n")
        let located: ConfigurationFileError
        do {
            _ = try ProxyConfiguration(environment: file.environment(overlaidBy: [:]))
            Issue.record("port 70000 was accepted")
            return
        } catch {
            located = try #require(file.locating(error, environment: [:]))
        }
        #expect(located.description == "archestra.yaml:2: ARCHESTRA_PORT must be a whole number in 0...65535")
        // The same bad value from the environment is the environment's, not the file's.
        do {
            _ = try ProxyConfiguration(environment: file.environment(overlaidBy: ["ARCHESTRA_PORT": "70001"]))
            Issue.record("port 70001 was accepted")
        } catch {
            #expect(file.locating(error, environment: ["ARCHESTRA_PORT": "70001"]) == nil)
            #expect(error.description == "ARCHESTRA_PORT must be a whole number in 0...65535")
        }

        let badURL = try Self.parse("ARCHESTRA_OPENAI_BASE_URL: ftp://\(Self.secret)@example.com\n")
        do {
            _ = try ProxyConfiguration(environment: badURL.environment(overlaidBy: [:]))
            Issue.record("an ftp base URL was accepted")
        } catch {
            let message = try #require(badURL.locating(error, environment: [:])).description
            #expect(message.hasPrefix("archestra.yaml:1: ARCHESTRA_OPENAI_BASE_URL "))
            #expect(!message.contains("SECRETVALUE"))
        }

        #expect(
            try Self.refusal("ARCHESTRA_LOG_LEVEL: loud\n").description
                == "archestra.yaml:1: ARCHESTRA_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical")
        let flag = try Self.parse("ARCHESTRA_REQUIRE_CLIENT_AUTH: 5\n")
        do {
            _ = try ProxyConfiguration(environment: flag.environment(overlaidBy: [:]))
            Issue.record("a flag of 5 was accepted")
        } catch {
            #expect(flag.locating(error, environment: [:])?.description == "archestra.yaml:1: ARCHESTRA_REQUIRE_CLIENT_AUTH must be true or false")
        }
    }

    @Test("broken YAML is refused with the line and column, and the broken line's secret is not quoted")
    func syntaxErrors() throws {
        let unterminated = try Self.refusal("ARCHESTRA_PORT: 9000\nARCHESTRA_CHAT_OPENAI_API_KEY: \"\(Self.secret)\n")
        guard case .syntax(_, let line, _, _) = unterminated else {
            Issue.record("expected a syntax error, got \(unterminated)")
            return
        }
        #expect(line >= 2)
        #expect(unterminated.description.hasPrefix("archestra.yaml:"))
        #expect(!unterminated.description.contains("SECRETVALUE"))

        let badIndent = try Self.refusal("ARCHESTRA_PORT: 9000\n  ARCHESTRA_HOST: \(Self.secret): x\n")
        #expect(badIndent.description.contains("not valid YAML"))
        #expect(!badIndent.description.contains("SECRETVALUE"))
    }

    @Test("a key set twice is refused with the key and never the values")
    func duplicateKeys() throws {
        let refusal = try Self.refusal("ARCHESTRA_CHAT_OPENAI_API_KEY: \(Self.secret)\nARCHESTRA_CHAT_OPENAI_API_KEY: \(Self.secret)2\n")
        guard case .duplicateKey(_, _, let key) = refusal else {
            Issue.record("expected a duplicate key, got \(refusal)")
            return
        }
        #expect(key == "ARCHESTRA_CHAT_OPENAI_API_KEY")
        #expect(!refusal.description.contains("SECRETVALUE"))
    }

    @Test("a document that is not a mapping is refused", arguments: ["- ARCHESTRA_PORT\n- 9000\n", "ARCHESTRA_PORT=9000\n", "a: 1\n---\nb: 2\n"])
    func notAMapping(text: String) throws {
        let refusal = try Self.refusal(text)
        switch refusal {
        case .notAMapping, .syntax: #expect(refusal.description.hasPrefix("archestra.yaml:"))
        default: Issue.record("expected not-a-mapping, got \(refusal)")
        }
    }

    @Test("a missing file, a directory and a file too large are refused with the reason")
    func unreadableFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: ConfigurationFileError.unreadable(path: directory.path + "/none.yaml", reason: "no such file")) {
            try ConfigurationFile.load(path: directory.path + "/none.yaml")
        }
        #expect(throws: ConfigurationFileError.unreadable(path: directory.path, reason: "it is a directory")) {
            try ConfigurationFile.load(path: directory.path)
        }
        let large = directory.appendingPathComponent("large.yaml").path
        try Data(repeating: UInt8(ascii: "#"), count: (1 << 20) + 2).write(to: URL(fileURLWithPath: large))
        #expect(throws: ConfigurationFileError.unreadable(path: large, reason: "larger than 1 MiB")) {
            try ConfigurationFile.load(path: large)
        }
    }

    // MARK: - Completeness

    @Test("every ARCHESTRA_* variable the server reads is a key the file accepts")
    func everyVariableIsKnown() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let known = ConfigurationKeys.known()
        let pattern = try Regex(#""(ARCHESTRA_[A-Z0-9_]*[A-Z0-9])""#)
        var seen: Set<String> = []
        for folder in ["Sources/Proxy", "Sources/Gateway", "Sources/archestra"] {
            let enumerator = try #require(FileManager.default.enumerator(atPath: root.appendingPathComponent(folder).path))
            for case let relative as String in enumerator where relative.hasSuffix(".swift") {
                let text = try String(contentsOfFile: root.appendingPathComponent(folder).appendingPathComponent(relative).path, encoding: .utf8)
                for match in text.matches(of: pattern) {
                    if let name = match.output[1].substring { seen.insert(String(name)) }
                }
            }
        }
        seen.remove(ConfigurationKeys.fileVariable)
        #expect(seen.count > 50)
        #expect(seen.subtracting(known).sorted() == [])
    }
}
