/// The version written into the `tool` field of recorded cassettes.
package enum RecorderVersion {
    package static let current = "0.1.0"
    package static var tool: String { "archestra record \(Self.current)" }
}
