import Foundation
import NIOCore
import Synchronization

/// Name resolution for datagram probes. TCP connects resolve inside NIO's bootstrap; a UDP
/// socket is connected to an address, and the system's `getaddrinfo` blocks, so it runs on a
/// dispatch queue and the caller stops waiting when its task is cancelled (the lookup finishes
/// in the background and is dropped).
enum HostResolver {
    static func resolve(_ endpoint: Endpoint) async throws -> SocketAddress {
        if let address = try? SocketAddress(ipAddress: endpoint.host, port: endpoint.port) { return address }
        let once = OnceContinuation<SocketAddress>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                once.attach(continuation)
                DispatchQueue.global().async {
                    once.resume(with: Result {
                        do {
                            return try SocketAddress.makeAddressResolvingHost(endpoint.host, port: endpoint.port)
                        } catch {
                            throw NetworkFailure.cannotResolve(endpoint.host)
                        }
                    })
                }
            }
        } onCancel: {
            once.resume(with: .failure(CancellationError()))
        }
    }
}

/// A continuation resumed exactly once, by whichever comes first: the result or a cancellation
/// (which may arrive before the continuation is attached).
final class OnceContinuation<Value: Sendable>: Sendable {
    private enum State {
        case waiting
        case attached(CheckedContinuation<Value, any Error>)
        case early(Result<Value, any Error>)
        case done
    }

    private let state = Mutex<State>(.waiting)

    func attach(_ continuation: CheckedContinuation<Value, any Error>) {
        let early: Result<Value, any Error>? = state.withLock { state in
            switch state {
            case .early(let result):
                state = .done
                return result
            case .waiting:
                state = .attached(continuation)
                return nil
            case .attached, .done:
                return nil
            }
        }
        if let early { continuation.resume(with: early) }
    }

    func resume(with result: Result<Value, any Error>) {
        let continuation: CheckedContinuation<Value, any Error>? = state.withLock { state in
            switch state {
            case .waiting:
                state = .early(result)
                return nil
            case .attached(let continuation):
                state = .done
                return continuation
            case .early, .done:
                return nil
            }
        }
        continuation?.resume(with: result)
    }
}
