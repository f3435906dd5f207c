import Foundation
import Proxy
import Testing
import Yams

/// The files under deploy/ and the Dockerfile agree with the binary and with each other: the
/// configuration files load, the probes hit `/healthz` on the port the proxy listens on, and
/// every service manager waits longer than the proxy's drain before it kills.
@Suite
struct DeploymentManifestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: Self.root.appendingPathComponent(path).path, encoding: .utf8)
    }

    /// The Kubernetes documents by kind.
    static func kubernetesDocuments() throws -> [String: [String: Any]] {
        var documents: [String: [String: Any]] = [:]
        for document in try Yams.load_all(yaml: Self.text("deploy/kubernetes/archestra.yaml")) {
            let object = try #require(document as? [String: Any])
            let kind = try #require(object["kind"] as? String)
            documents[kind] = object
        }
        return documents
    }

    @Test("the example configuration files load and configure the proxy", arguments: ["deploy/archestra.yaml", "deploy/container/archestra.yaml"])
    func exampleFilesLoad(path: String) throws {
        let file = try ConfigurationFile.load(path: Self.root.appendingPathComponent(path).path)
        let configuration = try ProxyConfiguration(environment: file.environment(overlaidBy: [:]))
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9000)
        #expect(configuration.databaseURL == "sqlite:///var/lib/archestra/archestra.sqlite")
    }

    @Test("the Kubernetes Deployment probes /healthz on the proxy's port, waits out the drain, and takes the database URL from a Secret")
    func kubernetesManifest() throws {
        let documents = try Self.kubernetesDocuments()
        #expect(Set(documents.keys) == ["ConfigMap", "Deployment", "Service"])

        // The ConfigMap's file is a valid configuration file.
        let configMapData = try #require((documents["ConfigMap"]?["data"] as? [String: Any])?["archestra.yaml"] as? String)
        let file = try ConfigurationFile.parse(configMapData, path: "configmap")
        let configuration = try ProxyConfiguration(environment: file.environment(overlaidBy: [:]))

        let podSpec = try #require(((documents["Deployment"]?["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try #require((podSpec["containers"] as? [[String: Any]])?.first)
        let ports = try #require(container["ports"] as? [[String: Any]])
        let http = try #require(ports.first { $0["name"] as? String == "http" })
        #expect(http["containerPort"] as? Int == configuration.port)
        for probe in ["readinessProbe", "livenessProbe"] {
            let get = try #require((container[probe] as? [String: Any])?["httpGet"] as? [String: Any])
            #expect(get["path"] as? String == "/healthz", "\(probe)")
            #expect(get["port"] as? String == "http", "\(probe)")
        }

        // Kubernetes kills after terminationGracePeriodSeconds, counted from the preStop hook.
        let preStop = try #require(((container["lifecycle"] as? [String: Any])?["preStop"] as? [String: Any])?["exec"] as? [String: Any])
        let sleep = try #require((preStop["command"] as? [String]).flatMap { Int($0.last ?? "") })
        let grace = try #require(podSpec["terminationGracePeriodSeconds"] as? Int)
        #expect(grace > sleep + Int(configuration.shutdownGracePeriod.components.seconds))

        let environment = try #require(container["env"] as? [[String: Any]])
        for name in ["ARCHESTRA_DATABASE_URL", "ARCHESTRA_SECRET_KEY", "ARCHESTRA_ADMIN_TOKEN"] {
            let variable = try #require(environment.first { $0["name"] as? String == name }, "\(name)")
            #expect(variable["value"] == nil, "\(name) must not be written in the manifest")
            #expect(((variable["valueFrom"] as? [String: Any])?["secretKeyRef"] as? [String: Any])?["name"] as? String == "archestra", "\(name)")
        }
        let security = try #require(podSpec["securityContext"] as? [String: Any])
        #expect(security["runAsNonRoot"] as? Bool == true)
        #expect(try Self.text("Dockerfile").contains("--uid \(try #require(security["runAsUser"] as? Int))"))

        let servicePorts = try #require((documents["Service"]?["spec"] as? [String: Any])?["ports"] as? [[String: Any]])
        #expect(servicePorts.contains { $0["targetPort"] as? String == "http" })
    }

    @Test("the systemd unit reads the file and the environment file, and waits longer than the drain before SIGKILL")
    func systemdUnit() throws {
        let unit = try Self.text("deploy/systemd/archestra.service")
        let settings = Dictionary(
            unit.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains("=") }.map { line in
                let parts = line.split(separator: "=", maxSplits: 1)
                return (String(parts[0]), String(parts.count > 1 ? parts[1] : ""))
            }, uniquingKeysWith: { first, _ in first })
        #expect(settings["ExecStart"] == "/usr/local/bin/archestra serve --config /etc/archestra/archestra.yaml")
        #expect(settings["EnvironmentFile"] == "-/etc/archestra/archestra.env")
        #expect(settings["User"] == "archestra")
        #expect(settings["NoNewPrivileges"] == "yes")
        #expect(settings["ProtectSystem"] == "strict")
        #expect(settings["KillSignal"] == "SIGTERM")
        let file = try ConfigurationFile.load(path: Self.root.appendingPathComponent("deploy/archestra.yaml").path)
        let configuration = try ProxyConfiguration(environment: file.environment(overlaidBy: [:]))
        let timeout = try #require(settings["TimeoutStopSec"].flatMap { Int($0) })
        #expect(timeout > Int(configuration.shutdownGracePeriod.components.seconds))
    }

    @Test("the Dockerfile builds with the release script and runs non-root with a health check, SIGTERM and the data volume")
    func dockerfile() throws {
        let dockerfile = try Self.text("Dockerfile")
        #expect(dockerfile.contains("FROM swift:6.3-bookworm AS build"))
        #expect(dockerfile.contains("FROM debian:bookworm-slim"))
        #expect(dockerfile.contains("RUN scripts/release"))
        #expect(dockerfile.contains("USER archestra:archestra"))
        #expect(dockerfile.contains(#"CMD ["archestra", "healthcheck""#))
        #expect(dockerfile.contains("STOPSIGNAL SIGTERM"))
        #expect(dockerfile.contains(#"VOLUME ["/var/lib/archestra"]"#))
        #expect(dockerfile.contains("EXPOSE 9000 9050"))
        // Everything the build copies is in the build context.
        let ignored = try Self.text(".dockerignore").split(separator: "\n").map(String.init)
        for copied in ["Sources", "Tests", "scripts", "deploy"] {
            #expect(!ignored.contains(copied), "\(copied) is copied by the Dockerfile")
        }
    }
}
