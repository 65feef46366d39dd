import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// HTTP over a plain TCP socket, byte for byte as given: for requests no client library would send
/// (`..` segments, broken request lines) and for uploads. Each exchange uses its own connection.
enum RawHTTP {
    struct Reply {
        var status: Int?
        var headers: String
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The connection closed or timed out with nothing read.
        var isEmpty: Bool { status == nil && body.isEmpty }
    }

    /// Sends `head` then `body` (without adding anything) and reads until the server closes or `timeout` passes.
    static func exchange(port: Int, head: String, body: [UInt8] = [], bodyPrefix: [UInt8] = [], timeout: Double = 30) throws -> Reply {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var interval = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        var sendFailed = false
        for part in [Array(head.utf8), bodyPrefix, body] where !part.isEmpty && !sendFailed {
            part.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                    if n <= 0 { sendFailed = true; return }
                    offset += n
                }
            }
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        return parse(received)
    }

    static func parse(_ bytes: [UInt8]) -> Reply {
        let separator: [UInt8] = [13, 10, 13, 10]
        var found: Int?
        var i = 0
        while i + 3 < bytes.count {
            if bytes[i] == separator[0], bytes[i + 1] == separator[1], bytes[i + 2] == separator[2], bytes[i + 3] == separator[3] {
                found = i; break
            }
            i += 1
        }
        guard let end = found else {
            return Reply(status: nil, headers: "", body: bytes)
        }
        let headers = String(decoding: bytes[0..<end], as: UTF8.self)
        let statusLine = headers.split(separator: "\r\n").first ?? ""
        let parts = statusLine.split(separator: " ")
        return Reply(status: parts.count > 1 ? Int(parts[1]) : nil, headers: headers, body: Array(bytes[(end + 4)...]))
    }

    static func get(port: Int, _ target: String, timeout: Double = 30) throws -> Reply {
        try exchange(port: port, head: "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", timeout: timeout)
    }

    static func post(port: Int, _ target: String, body: [UInt8], bodyPrefix: [UInt8] = [], timeout: Double = 300) throws -> Reply {
        let length = bodyPrefix.count + body.count
        return try exchange(port: port, head: "POST \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                                              + "Content-Length: \(length)\r\nConnection: close\r\n\r\n",
                            body: body, bodyPrefix: bodyPrefix, timeout: timeout)
    }
}
