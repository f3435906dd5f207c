/// A configuration value that cannot be used. Names the variable, never echoes its value
/// (it may be a key).
package struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    package let variable: String
    package let problem: String

    package var description: String { "\(self.variable) \(self.problem)" }
}
