/// The version written into the `tool` field of recorded cassettes.
public enum RecorderVersion {
    public static let current = "0.1.0"
    public static var tool: String { "archestra record \(Self.current)" }
}
