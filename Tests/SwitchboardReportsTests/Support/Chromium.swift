import Foundation

/// Debian's headless Chromium, for opening the HTML reports as a reader's browser would: the
/// DOM after load, what the page logged to its console, a screenshot, and a measurement made
/// by a script added to a copy of the page (the report itself carries no script).
struct Chromium {
    let path: String

    /// The browser `scripts/test` installs; a missing one fails the test that needs it.
    static func find() throws -> Chromium {
        for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return Chromium(path: candidate)
        }
        throw Missing()
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String { "chromium is not installed (scripts/test installs Debian's chromium)" }
    }

    struct Page {
        var dom: String
        /// Lines the page wrote to its console (errors, warnings, uncaught exceptions).
        var console: [String]
    }

    /// Opens `file` at A4's width in CSS pixels (210 mm at 96 dpi) and returns its DOM and console.
    func open(_ file: String, width: Int = 794, height: Int = 1123, screenshot: String? = nil) async throws -> Page {
        let profile = NSTemporaryDirectory() + "sb-chromium-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        var arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                         "--user-data-dir=\(profile)", "--enable-logging=stderr", "--v=0", "--window-size=\(width),\(height)"]
        if let screenshot { arguments.append("--screenshot=\(screenshot)") } else { arguments.append("--dump-dom") }
        arguments.append(URL(fileURLWithPath: file).absoluteString)
        let (output, errors) = try await run(arguments)
        let console = errors.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return Page(dom: output, console: console)
    }

    /// The page's full width and height when laid out `width` CSS pixels wide, measured by a
    /// script added to a copy of it.
    func layout(of file: String, width: Int = 794) async throws -> (scrollWidth: Int, viewportWidth: Int) {
        let copy = file + ".measure.html"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let html = try String(contentsOfFile: file, encoding: .utf8)
        let measure = """
            <script>window.addEventListener('load', () => { const p = document.createElement('pre'); p.id = 'measured';
            p.textContent = document.documentElement.scrollWidth + ' ' + window.innerWidth; document.body.appendChild(p); });</script>
            """
        try html.replacingOccurrences(of: "</body>", with: measure + "</body>").write(toFile: copy, atomically: true, encoding: .utf8)
        let dom = try await open(copy, width: width).dom
        guard let start = dom.range(of: "<pre id=\"measured\">"), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
            throw Failed(description: "the measurement did not run")
        }
        let figures = dom[start.upperBound..<end.lowerBound].split(separator: " ").compactMap { Int($0) }
        guard figures.count == 2 else { throw Failed(description: "unreadable measurement") }
        return (figures[0], figures[1])
    }

    /// Prints `file` to PDF (A4 unless `letter`) and returns the PDF's page count.
    func printedPages(of file: String, to pdf: String) async throws -> Int {
        let profile = NSTemporaryDirectory() + "sb-chromium-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        _ = try await run(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile)",
                     "--no-pdf-header-footer", "--print-to-pdf=\(pdf)", URL(fileURLWithPath: file).absoluteString])
        let data = try Data(contentsOf: URL(fileURLWithPath: pdf))
        let text = String(decoding: data, as: UTF8.self)
        return text.components(separatedBy: "/Type /Page").count - 1 - (text.components(separatedBy: "/Type /Pages").count - 1)
    }

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs the browser to its end on a thread of its own: a browser takes seconds, and holding one
    /// of the concurrency pool's threads (one per core) that long starves the tests beside it.
    private func run(_ arguments: [String]) async throws -> (output: String, errors: String) {
        try await withCheckedThrowingContinuation { finished in
            Thread { finished.resume(with: Result { try runBlocking(arguments) }) }.start()
        }
    }

    private func runBlocking(_ arguments: [String]) throws -> (output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Both pipes are read to the end, so a chatty browser never blocks on a full pipe.
        nonisolated(unsafe) var errorData = Data()
        let errorsRead = DispatchSemaphore(value: 0)
        Thread {
            errorData = errors.fileHandleForReading.readDataToEndOfFile()
            errorsRead.signal()
        }.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errorsRead.wait()
        guard process.terminationStatus == 0 else {
            throw Failed(description: "chromium exited \(process.terminationStatus): \(String(decoding: errorData, as: UTF8.self).suffix(500))")
        }
        return (String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }
}
