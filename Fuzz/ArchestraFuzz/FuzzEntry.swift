// libFuzzer entry point for archestra (issue 10, fuzzing). Built only by `scripts/fuzz`, as
// `ARCHESTRA_FUZZ_BUILD=1 swift build --scratch-path .build-fuzz-spm --product archestra-fuzz`
// (Package.swift adds this target and instruments archestra's modules only then). The target is
// chosen by `ARCHESTRA_FUZZ_TARGET`; each one checks an invariant, so a crash or a failed
// precondition is a finding.
import Foundation

/// Every fuzz target, by the name `ARCHESTRA_FUZZ_TARGET` and `scripts/fuzz` use.
enum FuzzTarget: String, CaseIterable {
    case sse, jsonLines = "json-lines", eventStream = "event-stream", jsonScanner = "json-scanner"
    case summarisers, usage
    case yamlImporter = "yaml-importer", jsonImporter = "json-importer", matcher
    case sigv4
    case routerRequest = "router-request", routerAnswer = "router-answer", routerStream = "router-stream"
    case smallJSONObject = "small-json-object", chatChunkJSON = "chat-chunk-json"
    case policies, emulators

    func run(_ bytes: [UInt8]) {
        switch self {
        case .sse: FramingTargets.sse(bytes)
        case .jsonLines: FramingTargets.jsonLines(bytes)
        case .eventStream: FramingTargets.eventStream(bytes)
        case .jsonScanner: FramingTargets.jsonScanner(bytes)
        case .summarisers: DialectTargets.summarisers(bytes)
        case .usage: DialectTargets.usage(bytes)
        case .yamlImporter: CassetteTargets.yamlImporter(bytes)
        case .jsonImporter: CassetteTargets.jsonImporter(bytes)
        case .matcher: CassetteTargets.matcher(bytes)
        case .sigv4: SigV4Target.run(bytes)
        case .routerRequest: RouterTargets.request(bytes)
        case .routerAnswer: RouterTargets.answer(bytes)
        case .routerStream: RouterTargets.stream(bytes)
        case .smallJSONObject: FastPathTargets.smallJSONObject(bytes)
        case .chatChunkJSON: FastPathTargets.chatChunkJSON(bytes)
        case .policies: PolicyTargets.policies(bytes)
        case .emulators: EmulatorTargets.emulators(bytes)
        }
    }
}

nonisolated(unsafe) var selectedTarget: FuzzTarget = .sse

/// Picks the target. libFuzzer calls it before the first input, whichever `main` started it.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
    let name = ProcessInfo.processInfo.environment["ARCHESTRA_FUZZ_TARGET"] ?? "sse"
    guard let target = FuzzTarget(rawValue: name) else {
        print("unknown ARCHESTRA_FUZZ_TARGET \(name); one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " "))")
        exit(2)
    }
    selectedTarget = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer's driver, run from the entry point SwiftPM gives an executable target
/// (`<module>_main`, which it links as `main`).
@_extern(c, "LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("ArchestraFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv) { data, size in fuzzTestOneInput(data, size) }
}

/// Whether `data` is one JSON value (what a translated body or an accepted request must be).
func isJSON(_ data: Data) -> Bool {
    (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil
}

/// The input cut at its first newline: a short header line (a path, a name) and the rest.
func splitFirstLine(_ bytes: [UInt8]) -> (line: String, rest: [UInt8])? {
    guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")), newline <= 512 else { return nil }
    return (String(decoding: bytes[..<newline], as: UTF8.self), Array(bytes[(newline + 1)...]))
}
