/// Where something was written: file, line and column (1-based), as editors and compilers print them.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem in a file a user wrote, printed as `FILE:LINE:COLUMN: what was expected`.
public struct ConfigDiagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation?
    public var file: String
    public var message: String

    public init(at location: SourceLocation, _ message: String) {
        self.location = location
        self.file = location.file
        self.message = message
    }

    public init(file: String, _ message: String) {
        self.location = nil
        self.file = file
        self.message = message
    }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return "\(file): \(message)"
    }
}

/// Every problem found in one file, in the order they appear, so `switchboard check` can show
/// them all at once instead of one per run.
public struct ConfigDiagnostics: Error, Sendable, Equatable, CustomStringConvertible {
    public var items: [ConfigDiagnostic]

    public init(_ items: [ConfigDiagnostic]) {
        self.items = items
    }

    public var description: String { items.map(\.description).joined(separator: "\n") }
}

extension ConfigDiagnostics {
    /// What `error` says as problems in `file`: a loader keeps going after a problem, so one run
    /// of `switchboard check` shows them all. An error that is not a diagnostic is placed at
    /// `node` when there is one, else at the file.
    public static func of(_ error: any Error, file: String, at node: ConfigNode? = nil) -> [ConfigDiagnostic] {
        switch error {
        case let diagnostic as ConfigDiagnostic: [diagnostic]
        case let diagnostics as ConfigDiagnostics: diagnostics.items
        default: [node?.error("\(error)") ?? ConfigDiagnostic(file: file, "\(error)")]
        }
    }
}

extension [ConfigDiagnostic] {
    /// Sorted as they appear in the file, top to bottom.
    public var inFileOrder: [ConfigDiagnostic] {
        sorted { ($0.location?.line ?? 0, $0.location?.column ?? 0) < ($1.location?.line ?? 0, $1.location?.column ?? 0) }
    }
}
