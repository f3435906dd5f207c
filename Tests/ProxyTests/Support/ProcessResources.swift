import Foundation
import Glibc

/// What a child process holds, read from `/proc` (Linux): for tests that a fault leaves nothing
/// behind.
struct ProcessResources {
    let pid: pid_t

    /// Open descriptors other than files: sockets, pipes, the event loops' epoll, eventfd and
    /// timerfd descriptors. Files are left out because the database pool opens reader
    /// connections (the store's file and its WAL) on demand and keeps them.
    func openDescriptors() throws -> Int {
        try self.targets().count { !$0.hasPrefix("/") }
    }

    /// Each open descriptor's target, as `/proc/<pid>/fd/<n>` links to it.
    private func targets() throws -> [String] {
        let directory = "/proc/\(self.pid)/fd"
        return try FileManager.default.contentsOfDirectory(atPath: directory).compactMap {
            try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\($0)")
        }
    }

    /// What each open descriptor other than a file is, for a failure message to show what was
    /// left open.
    func descriptorTargets() -> [String] {
        ((try? self.targets()) ?? []).filter { !$0.hasPrefix("/") }.sorted()
    }

    /// The process's TCP sockets that are not listening: connections to clients and upstreams,
    /// including those closing (`CLOSE_WAIT`: the peer has gone, the process has not closed yet).
    func connectedSockets() throws -> Int {
        var connected = Set<String>()
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                // sl, local, remote, state, …, inode (10th); state 0A is LISTEN.
                guard fields.count > 9, fields[3] != "0A" else { continue }
                connected.insert(String(fields[9]))
            }
        }
        return try self.targets().count { target in
            target.hasPrefix("socket:[") && connected.contains(String(target.dropFirst("socket:[".count).dropLast()))
        }
    }

    /// Resident memory (`VmRSS`), in bytes.
    func residentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(self.pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kibibytes = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
        else { throw ProcessResourcesUnreadable(pid: self.pid) }
        return kibibytes * 1024
    }
}

struct ProcessResourcesUnreadable: Error {
    let pid: pid_t
}

/// A loopback port that refuses connections: a socket bound to it and never listening, so the
/// kernel answers every SYN with a reset, and no other server can bind the port while it is held.
struct RefusingPort {
    let port: Int
    private let socket: Int32

    init() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Unavailable() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else {
            Glibc.close(socket)
            throw Unavailable()
        }
        self.socket = socket
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        Glibc.close(self.socket)
    }

    struct Unavailable: Error {}
}
