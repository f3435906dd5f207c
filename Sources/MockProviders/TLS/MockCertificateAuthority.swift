import Crypto
import NIOCore
package import Foundation
package import NIOSSL
import SwiftASN1
import Synchronization
import X509

/// A certificate authority generated at start-up, and a server certificate it signs for
/// `localhost` and `127.0.0.1`, so that the emulators can serve HTTPS that SDKs verify.
///
/// botocore sends a Bedrock API key only over HTTPS, so the Bedrock emulator needs TLS for bearer
/// keys. The CA's PEM goes in a file (next to the env file) that the env file exports as
/// `AWS_CA_BUNDLE`; nothing is trusted system-wide. Keys live only in memory and in that process.
package struct MockCertificateAuthority: Sendable {
    /// The CA certificate, PEM: what clients trust.
    package let caPEM: String
    /// The server certificate (leaf) and its private key, PEM.
    package let serverCertificatePEM: String
    package let serverKeyPEM: String

    package init() throws {
        let now = Date()
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            OrganizationName("archestra")
            CommonName("archestra mock CA")
        }
        let caPublicKey = Certificate.PublicKey(caKey.publicKey)
        let caKeyID = ArraySlice(Insecure.SHA1.hash(data: caKey.publicKey.x963Representation))
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: caPublicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(30 * 86400),
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(keyIdentifier: caKeyID)
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey)
        )
        let serverKey = P256.Signing.PrivateKey()
        let server = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(serverKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(30 * 86400),
            issuer: caName, subject: try DistinguishedName { CommonName("localhost") }, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectKeyIdentifier(keyIdentifier: ArraySlice(Insecure.SHA1.hash(data: serverKey.publicKey.x963Representation)))
                AuthorityKeyIdentifier(keyIdentifier: caKeyID)
                SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey)
        )
        self.caPEM = try ca.serializeAsPEM().pemString + "\n"
        self.serverCertificatePEM = try server.serializeAsPEM().pemString + "\n"
        self.serverKeyPEM = serverKey.pemRepresentation + "\n"
    }

    /// The server side of TLS for an emulator.
    package func serverTLSConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(self.serverCertificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(self.serverKeyPEM.utf8), format: .pem))
        )
        // A pooled client may never answer close_notify; an emulator shutting down need not wait
        // NIOSSL's default 5 s for it.
        configuration.shutdownTimeout = .milliseconds(200)
        return configuration
    }

    /// One authority per process, so every emulator and the env file agree on it; `nil` if
    /// generation failed (the emulators then serve plain HTTP only).
    package static let shared: MockCertificateAuthority? = try? MockCertificateAuthority()

    private static let bundle = Mutex<String?>(nil)
    private static let combinedBundle = Mutex<String?>(nil)

    /// Where Debian, Red Hat and macOS keep the system's trusted roots, in that order.
    static let systemRootBundles = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"]
    private static let serverFiles = Mutex<(certificate: String, key: String)?>(nil)

    /// Writes the CA's PEM (`archestra-mock-ca.pem`) and the server certificate and key
    /// (`archestra-mock-server.pem`, `archestra-mock-server-key.pem`, owner-only) into
    /// `directory`: `mock up` puts them next to its env file, which exports their paths
    /// (`AWS_CA_BUNDLE`; `ARCHESTRA_MOCK_TLS_CERT_FILE` / `_KEY_FILE`, to serve the proxy itself
    /// over HTTPS in tests). Without this, the CA alone goes to the temporary directory.
    package static func writeFiles(into directory: URL) throws {
        guard let shared else { return }
        let ca = directory.appendingPathComponent("archestra-mock-ca.pem")
        let certificate = directory.appendingPathComponent("archestra-mock-server.pem")
        let key = directory.appendingPathComponent("archestra-mock-server-key.pem")
        try Data(shared.caPEM.utf8).write(to: ca, options: .atomic)
        try Data(shared.serverCertificatePEM.utf8).write(to: certificate, options: .atomic)
        try Data(shared.serverKeyPEM.utf8).write(to: key, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key.path)
        Self.bundle.withLock { $0 = ca.path }
        Self.serverFiles.withLock { $0 = (certificate.path, key.path) }
        // The system's roots plus the mock CA: safe to export as REQUESTS_CA_BUNDLE / SSL_CERT_FILE,
        // which *replace* a client's roots — with the mock CA alone, every other HTTPS call of
        // every requests-based SDK would fail.
        if let systemRoots = Self.systemRootBundles.lazy.compactMap({ FileManager.default.contents(atPath: $0) }).first {
            let combined = directory.appendingPathComponent("archestra-mock-ca-and-system-roots.pem")
            try (systemRoots + Data("\n".utf8) + Data(shared.caPEM.utf8)).write(to: combined, options: .atomic)
            Self.combinedBundle.withLock { $0 = combined.path }
        }
    }

    /// The system roots plus the mock CA, once ``writeFiles(into:)`` has written it; `nil` on a
    /// machine without a system bundle in a known place.
    package static var combinedBundlePath: String? {
        Self.combinedBundle.withLock { $0 }
    }

    /// The server certificate and key files, once ``writeFiles(into:)`` has written them.
    package static var serverCertificateFiles: (certificate: String, key: String)? {
        Self.serverFiles.withLock { $0 }
    }

    package static var bundlePath: String? {
        guard let shared else { return nil }
        return Self.bundle.withLock { path in
            if let path { return path }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("archestra-mock-ca-\(ProcessInfo.processInfo.processIdentifier).pem").path
            guard (try? Data(shared.caPEM.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)) != nil else { return nil }
            path = file
            return file
        }
    }
}
