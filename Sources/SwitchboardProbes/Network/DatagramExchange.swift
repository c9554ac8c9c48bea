import NIOCore
import NIOPosix

/// A request a datagram probe sends, and what it makes of each datagram that comes back.
struct DatagramRequest<Answer: Sendable>: Sendable {
    var bytes: [UInt8]
    /// The answer a datagram gives, or nil to go on waiting (a stray, an unreadable datagram,
    /// a provisional answer).
    var answer: @Sendable (ByteBuffer) -> Answer?
}

/// The exchange of the datagram probes (sip, dns): a UDP socket connected to the server (so only
/// its datagrams arrive, and an ICMP port unreachable comes back as `connection refused`), the
/// request sent and sent again on a schedule until a datagram answers it. The socket is closed
/// when the exchange ends, fails, or is cancelled at the probe's deadline.
enum DatagramExchange {
    /// Sends the request `makeRequest` builds for the socket's local address (a SIP Via names
    /// it), again after each of `schedule`'s intervals, until a datagram answers; returns the
    /// answer and the time since the first transmission. `transmitted` hears how many went out.
    static func run<Answer: Sendable>(
        to endpoint: Endpoint,
        schedule: RetransmitSchedule,
        transmitted: @escaping @Sendable (_ count: Int) -> Void,
        request makeRequest: (_ local: SocketAddress?) -> DatagramRequest<Answer>
    ) async throws -> (answer: Answer, roundTrip: Duration) {
        let address = try await HostResolver.resolve(endpoint)
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(wrappingChannelSynchronously: channel)
                }
            }
        let request = makeRequest(channel.channel.localAddress)
        let envelope = AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: request.bytes))
        return try await channel.executeThenClose { inbound, outbound in
            let sent = ContinuousClock.now
            return try await withThrowingTaskGroup(of: (Answer, Duration)?.self) { group in
                group.addTask {
                    var transmissions = 0
                    while true {
                        try await outbound.write(envelope)
                        transmissions += 1
                        transmitted(transmissions)
                        try await Task.sleep(for: schedule.interval(after: transmissions))
                    }
                }
                group.addTask {
                    for try await datagram in inbound {
                        if let answer = request.answer(datagram.data) { return (answer, sent.duration(to: .now)) }
                    }
                    return nil
                }
                defer { group.cancelAll() }
                // The sender only ends by failing; the reader ends with the answer, or nil if the socket closed.
                guard let first = try await group.next(), let answered = first else { throw NetworkFailure.closed }
                return answered
            }
        }
    }

    /// How many transmissions went out and how many datagrams were ignored, for a summary:
    /// `3 tries; 1 unrelated or unreadable reply ignored`.
    static func tally(transmissions: Int, strays: Int) -> String {
        "\(transmissions) tr\(transmissions == 1 ? "y" : "ies")"
            + (strays > 0 ? "; \(strays) unrelated or unreadable repl\(strays == 1 ? "y" : "ies") ignored" : "")
    }
}
