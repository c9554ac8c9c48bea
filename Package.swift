// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Switchboard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "switchboard", targets: ["switchboard"]),
        .executable(name: "switchboard-log-bench", targets: ["LogBenchmark"]),
        .executable(name: "switchboard-fuzz", targets: ["SwitchboardFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Wide-character ncurses, with the macros and mutable globals Swift cannot import wrapped as functions.
        .systemLibrary(
            name: "CNcursesw",
            path: "Sources/CNcursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        // prctl(2), which Swift cannot call (it is variadic): the probes' child subreaper.
        .systemLibrary(
            name: "CProcessControl",
            path: "Sources/CProcessControl"
        ),
        // copy_file_range(2), which Swift's Glibc does not declare: reports copy their spools in the kernel.
        .systemLibrary(
            name: "CFileCopy",
            path: "Sources/CFileCopy"
        ),
        // Events, state, reducers, probe protocols, thresholds, site config, action-log records and
        // their hash chain: no terminal, no I/O policy.
        .target(
            name: "SwitchboardCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Where incidents live on disk: the state directory, append with a file lock and fsync,
        // torn-tail repair, following other consoles' appends, readings journals and their seals,
        // verifying a log file.
        .target(
            name: "SwitchboardStore",
            dependencies: ["SwitchboardCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Reports of an incident from its verified log and readings journals: the postmortem
        // draft (md), the printable page (html), the timeline (csv), everything (json), the FEMA
        // ICS 214 activity log, and a drill's after-action report.
        .target(
            name: "SwitchboardReports",
            dependencies: ["SwitchboardCore", "SwitchboardStore", "CFileCopy", .product(name: "Mustache", package: "swift-mustache")]
        ),
        // Built-in probe kinds and the scheduler that runs them concurrently and emits results as events.
        .target(
            name: "SwitchboardProbes",
            dependencies: [
                "SwitchboardCore",
                "CProcessControl",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                // Native probes speak their protocols over NIO sockets; http and prometheus add TLS.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Cell buffer, layout, text widgets, theme, and the one ncurses backend.
        .target(
            name: "TerminalUI",
            dependencies: ["CNcursesw"]
        ),
        // The console: its UI state, key map, views of state into a cell buffer, and the event loop.
        .target(
            name: "SwitchboardConsole",
            dependencies: [
                "SwitchboardCore",
                "SwitchboardProbes",
                "SwitchboardStore",
                "TerminalUI",
                .product(name: "Logging", package: "swift-log"),
                // $EDITOR for customer messages runs on the console's terminal.
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // The executable: command line and wiring.
        .executableTarget(
            name: "switchboard",
            dependencies: [
                "SwitchboardCore",
                "SwitchboardProbes",
                "SwitchboardStore",
                "SwitchboardConsole",
                "SwitchboardReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Benchmarks of the action log (scripts/bench-log): append latency with fsync, verify at
        // scale, and a readings journal's size, read-back and replay over an 8-hour incident.
        // libFuzzer's driver entry point, declared for the fuzzing build.
        .systemLibrary(
            name: "CFuzzer",
            path: "Sources/CFuzzer"
        ),
        // The fuzzing driver: libFuzzer over every outside-input reader when built by scripts/fuzz.
        .executableTarget(
            name: "SwitchboardFuzz",
            dependencies: ["SwitchboardProbes", "CFuzzer"]
        ),
        .executableTarget(
            name: "LogBenchmark",
            dependencies: ["SwitchboardCore", "SwitchboardStore", "SwitchboardProbes", "SwitchboardConsole", "SwitchboardReports"]
        ),
        .testTarget(
            name: "SwitchboardCoreTests",
            dependencies: ["SwitchboardCore", "SwitchboardProbes"]
        ),
        // The action log on disk: durability, locking, torn tails, tampering.
        .testTarget(
            name: "SwitchboardStoreTests",
            dependencies: ["SwitchboardStore", "SwitchboardCore"]
        ),
        // Probe kinds against real programs: monitoring-plugins, misbehaving scripts.
        // Reports: every format from a scripted incident, against goldens and in headless Chromium.
        .testTarget(
            name: "SwitchboardReportsTests",
            dependencies: ["SwitchboardReports", "SwitchboardCore", "SwitchboardStore"],
            exclude: ["Goldens"]
        ),
        .testTarget(
            name: "SwitchboardProbesTests",
            dependencies: ["SwitchboardProbes", "SwitchboardCore"]
        ),
        .testTarget(
            name: "SwitchboardConsoleTests",
            dependencies: ["SwitchboardConsole", "SwitchboardCore", "SwitchboardProbes", "SwitchboardStore", "TerminalUI"],
            exclude: ["Snapshots"]
        ),
        // Runs the real binary: command-line behaviour and the console in tmux.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["switchboard", "TerminalUI"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
