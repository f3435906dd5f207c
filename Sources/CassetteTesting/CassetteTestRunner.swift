import Foundation
import Proxy
package import Recorder

/// What one cassette's test found.
package struct CassetteTestResult: Sendable {
    /// The cassette file as named on the command line.
    package var file: String
    /// The proxy route it was replayed through, when one was found.
    package var provider: String?
    package var interactions: Int
    /// Each difference or problem, prefixed with the interaction it concerns
    /// (`#0 POST /v1/chat/completions: status 500, recorded 200`). Empty when the cassette passed.
    package var failures: [String]
    package var duration: Duration

    package init(file: String, provider: String?, interactions: Int, failures: [String], duration: Duration) {
        self.file = file
        self.provider = provider
        self.interactions = interactions
        self.failures = failures
        self.duration = duration
    }

    package var passed: Bool { self.failures.isEmpty }
}

/// `archestra cassette test`: replays each cassette's upstream leg from a replay server, puts
/// `archestra serve` (in-process, its provider's base URL pointed at the replay) in front of it,
/// sends every recorded request to the proxy as a client would, and compares what comes back with
/// what was recorded: status, the headers clients rely on, the body byte for byte, and a
/// stream's events one by one. A recorded request the proxy never sent upstream is a failure too.
///
/// This is the proof that the proxy is transparent for real traffic: the same code the
/// project's own end-to-end suite runs over `Cassettes/`.
///
/// Two-leg cassettes (`archestra serve --record`) are checked on both legs instead:
/// ``TwoLegCassetteTest``.
///
/// Vertex AI captures (provider `vertex`: a `Cassettes/vertex/` folder or `--provider vertex`)
/// replay through the Gemini route in Vertex AI mode (``VertexReplay``).
package enum CassetteTestRunner {
    /// The provider name of Vertex AI captures: the Gemini route in Vertex AI mode.
    package static let vertex = "vertex"

    /// How the replay matches what the proxy sends upstream with what was recorded: credential
    /// headers must be present with the recorded scheme, and `stream_options` is left out,
    /// because the proxy asks OpenAI-compatible upstreams for a stream's usage
    /// (`include_usage`) whether or not the recorded client did; it reads that chunk and does
    /// not relay it, so the client's bytes are still compared whole.
    package static let matcher = CassetteMatcher(ignoredFields: ["stream_options"], checksCredentialHeaders: true)

    /// The provider a cassette belongs to: `override`, else the folder it sits in when that is a
    /// provider the proxy serves (`Cassettes/openai/…`), else its provenance's provider.
    package static func providerID(for cassette: Cassette, path: String, override: String?) -> String? {
        if let override { return override }
        let known = Set(ProviderCatalog.standard.declarations.map(\.id)).union([Self.vertex])
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
        if known.contains(folder) { return folder }
        return cassette.provenance.provider.flatMap { known.contains($0) ? $0 : nil }
    }

    /// - Parameter bindings: values for placeholders other recorders left (``CassettePlaceholders``).
    package static func test(file: String, providerOverride: String? = nil, bindings: [String: String] = [:]) async -> CassetteTestResult {
        let start = ContinuousClock.now
        var result = await Self.run(file: file, providerOverride: providerOverride, bindings: bindings)
        result.duration = ContinuousClock.now - start
        return result
    }

    private static func run(file: String, providerOverride: String?, bindings: [String: String]) async -> CassetteTestResult {
        var result = CassetteTestResult(file: file, provider: nil, interactions: 0, failures: [], duration: .zero)
        let cassette: Cassette
        do {
            cassette = CassettePlaceholders.bind(bindings, in: try Cassette.load(from: file))
        } catch {
            result.failures = ["not a cassette: \(error)"]
            return result
        }
        // A two-leg recording of a request the proxy answered itself (a model-router refusal) called
        // no provider: any route's replay will do, since nothing is sent upstream.
        let standIn = cassette.isTwoLeg && cassette.interactions(on: .upstream).isEmpty ? "openai" : nil
        guard let providerID = Self.providerID(for: cassette, path: file, override: providerOverride) ?? standIn else {
            result.failures = ["no provider: the folder is not a provider the proxy serves and provenance names none (use --provider)"]
            return result
        }
        result.provider = providerID
        if cassette.isTwoLeg {
            // Recorded through the proxy: both legs are checked (``TwoLegCassetteTest``).
            result.interactions = cassette.interactions.count
            do {
                result.failures = try await TwoLegCassetteTest.failures(cassette: cassette, providerID: providerID)
            } catch {
                result.failures = ["could not run: \(error)"]
            }
            return result
        }
        let interactions = providerID == Self.vertex ? VertexReplay.calls(in: cassette) : cassette.interactions.filter { ($0.leg ?? .upstream) == .upstream }
        result.interactions = interactions.count
        guard !interactions.isEmpty else {
            result.failures = ["no upstream interaction to replay"]
            return result
        }
        do {
            let sendAll: @Sendable (TestClient) async throws -> [String] = { proxy in
                var failures: [String] = []
                for (index, interaction) in interactions.enumerated() {
                    let label = "#\(index) \(interaction.request.method) \(interaction.request.path)"
                    do {
                        let received = try await proxy.send(ClientRequest(replaying: interaction.request))
                        failures += received.differences(from: ObservedResponse(recorded: interaction.response)).map { "\(label): \($0)" }
                    } catch {
                        failures.append("\(label): \(error)")
                    }
                }
                return failures
            }
            let (failures, unplayed) =
                providerID == Self.vertex
                ? try await VertexReplay(cassette: cassette).withProxy(replaying: cassette, sendAll)
                : try await withProxyInFrontOfReplay(cassettes: [cassette], provider: try ProxiedProvider(id: providerID), sendAll)
            result.failures = failures + unplayed.map { "never sent upstream: \($0.description)" }
        } catch {
            result.failures.append("could not run: \(error)")
        }
        if !result.failures.isEmpty, let hint = CassettePlaceholders.hint(for: CassettePlaceholders.unbound(in: cassette)) {
            result.failures.append(hint)
        }
        return result
    }
}

/// A JUnit XML report of cassette results, the format CI systems (GitHub Actions reporters,
/// GitLab, Jenkins) display: one test suite, one test case per cassette, its differences as the
/// failure's text.
package enum CassetteJUnitReport {
    package static func xml(for results: [CassetteTestResult], suite: String = "archestra cassette test") -> String {
        let failures = results.filter { !$0.passed }.count
        let total = results.reduce(Duration.zero) { $0 + $1.duration }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites tests=\"\(results.count)\" failures=\"\(failures)\" time=\"\(Self.seconds(total))\">\n"
        xml += "  <testsuite name=\"\(Self.escape(suite))\" tests=\"\(results.count)\" failures=\"\(failures)\" time=\"\(Self.seconds(total))\">\n"
        for result in results {
            let name = Self.escape(result.file)
            let className = Self.escape(result.provider ?? "unknown")
            xml += "    <testcase classname=\"\(className)\" name=\"\(name)\" time=\"\(Self.seconds(result.duration))\""
            if result.passed {
                xml += "/>\n"
            } else {
                let first = Self.escape(result.failures.first ?? "")
                xml += ">\n      <failure message=\"\(first)\">\(Self.escape(result.failures.joined(separator: "\n")))</failure>\n    </testcase>\n"
            }
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    package static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.3f", Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// Text safe in an XML attribute or element: the five entities, and control characters
    /// (invalid in XML 1.0) as `\u{…}`.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\n", "\t", "\r": escaped.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    escaped += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped
    }
}
