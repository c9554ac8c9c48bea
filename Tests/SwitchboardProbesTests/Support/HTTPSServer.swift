import Foundation

/// Runs a command to its end (posix_spawn and waitpid, like `ServerProcess`), returning its exit
/// status; output goes to `logPath`.
func runToCompletion(_ argv: [String], logPath: String = "/dev/null") throws -> Int32 {
    let process = try ServerProcess(argv, logPath: logPath)
    return process.waitForExit()
}

/// A self-signed certificate (usable as its own CA) and its key, made by the openssl command for
/// the names given as subjectAltName entries (`DNS:localhost`, `IP:127.0.0.1`).
struct TestCertificate {
    let certificatePath: String
    let keyPath: String

    init(in directory: URL, name: String, alternativeNames: [String]) throws {
        certificatePath = directory.appendingPathComponent("\(name).pem").path
        keyPath = directory.appendingPathComponent("\(name).key").path
        let status = try runToCompletion([
            "/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", keyPath, "-out", certificatePath, "-days", "2", "-subj", "/CN=\(name)",
            "-addext", "subjectAltName=\(alternativeNames.joined(separator: ","))",
            "-addext", "basicConstraints=critical,CA:TRUE",
        ], logPath: directory.appendingPathComponent("openssl.log").path)
        guard status == 0 else { throw POSIXError(.EINVAL) }
    }
}

/// python3's http.server behind TLS, serving `directory` on a free loopback port with the given
/// certificate.
final class LocalHTTPSServer {
    let port: Int
    private let process: ServerProcess

    init(directory: String, certificate: TestCertificate) async throws {
        port = try freePort()
        let script = """
            import functools, http.server, ssl, sys
            handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[2])
            server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), handler)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[3], sys.argv[4])
            server.socket = context.wrap_socket(server.socket, server_side=True)
            server.serve_forever()
            """
        process = try ServerProcess(["/usr/bin/python3", "-c", script, "\(port)", directory, certificate.certificatePath, certificate.keyPath],
                                    logPath: "/dev/null")
        guard await waitFor(seconds: 10, { acceptsConnections(port: port) }) else { throw POSIXError(.ETIMEDOUT) }
    }
}

/// A TLS server that completes the handshake and then never reads or answers again, not even
/// the client's close_notify: a hung HTTPS server, or one whose network went away after the
/// handshake. It holds every connection until it is released.
final class HungTLSServer {
    let port: Int
    private let process: ServerProcess

    init(certificate: TestCertificate) async throws {
        port = try freePort()
        let script = """
            import socket, ssl, sys
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[2], sys.argv[3])
            listener = socket.socket()
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", int(sys.argv[1])))
            listener.listen(16)
            held = []
            while True:
                client, _ = listener.accept()
                try:
                    held.append(context.wrap_socket(client, server_side=True))
                except Exception:
                    client.close()
            """
        process = try ServerProcess(["/usr/bin/python3", "-c", script, "\(port)", certificate.certificatePath, certificate.keyPath],
                                    logPath: "/dev/null")
        guard await waitFor(seconds: 10, { acceptsConnections(port: port) }) else { throw POSIXError(.ETIMEDOUT) }
    }
}
