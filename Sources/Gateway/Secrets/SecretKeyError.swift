/// Why no secret key could be obtained. Descriptions name the variable or file and the problem,
/// never key material.
package struct SecretKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable, Hashable {
            case malformedEnvironmentKey
            case keyFilePermissions
            case keyFileMalformed
            case keyFileUnavailable
            case wrongKeyLength
        }

        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }

        /// `ARCHESTRA_SECRET_KEY` is not base64 of exactly 32 bytes.
        package static let malformedEnvironmentKey = Code(.malformedEnvironmentKey)
        /// The key file can be read by others than its owner.
        package static let keyFilePermissions = Code(.keyFilePermissions)
        /// The key file does not hold base64 of exactly 32 bytes.
        package static let keyFileMalformed = Code(.keyFileMalformed)
        /// The key file cannot be created or read.
        package static let keyFileUnavailable = Code(.keyFileUnavailable)
        /// A raw key handed to ``SecretBox`` is not 32 bytes.
        package static let wrongKeyLength = Code(.wrongKeyLength)

        package var description: String { self.base.rawValue }
    }

    package let code: Code
    package let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { self.message }
}
