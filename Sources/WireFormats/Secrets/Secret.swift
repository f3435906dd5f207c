/// A credential held in memory: a provider key, a virtual key value, a token.
///
/// Its descriptions never show the value, so that a configuration, an authorizer or a store row
/// printed by a log line (swift-service-lifecycle logs every service's description at debug
/// level), an error message or a test failure cannot leak it. Read ``exposedValue`` only where
/// the value is about to go on the wire.
package struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package let exposedValue: String

    package init(_ value: String) {
        self.exposedValue = value
    }

    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    /// `dump()` and `String(reflecting:)` of an enclosing value show no children either.
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
