import Foundation

/// Runs the real `lantian` binary, as an operator would.
public struct LantianProcess: Sendable {
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var errorOutput: String
    }

    /// Runs to completion (killed after `timeout` seconds).
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 60
    ) throws -> Result {
        let process = try launch(arguments, environment: environment)
        let deadline = Date().addingTimeInterval(timeout)
        while process.process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        if process.process.isRunning { process.process.terminate() }
        return process.finish()
    }

    /// Starts the binary and returns at once; `finish()` waits for it.
    public static func launch(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        let process = Process()
        process.executableURL = RepositoryPaths.lantianBinary
        process.arguments = arguments
        process.currentDirectoryURL = RepositoryPaths.root
        var base = ProcessInfo.processInfo.environment
        // The child must see only the settings the test gives it.
        for key in base.keys where key.hasPrefix("LANTIAN_") || key == "DATABASE_URL" {
            base.removeValue(forKey: key)
        }
        base["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = base.merging(environment) { $1 }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("lantian-out-\(UUID().uuidString)")
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("lantian-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, outputFile: output, errorFile: errors)
    }

    public final class Running: @unchecked Sendable {
        public let process: Process
        let outputFile: URL
        let errorFile: URL

        init(process: Process, outputFile: URL, errorFile: URL) {
            self.process = process
            self.outputFile = outputFile
            self.errorFile = errorFile
        }

        public var errorOutputSoFar: String {
            (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        }

        public func signal(_ signal: Int32) {
            kill(process.processIdentifier, signal)
        }

        /// Waits up to `timeout` seconds for the process to exit on its own, then kills it.
        @discardableResult
        public func finish(timeout: TimeInterval = 30) -> Result {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
            }
            process.waitUntilExit()
            defer {
                try? FileManager.default.removeItem(at: outputFile)
                try? FileManager.default.removeItem(at: errorFile)
            }
            return Result(
                status: process.terminationStatus,
                output: (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "",
                errorOutput: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            )
        }
    }

    /// A TCP port that was free a moment ago.
    public static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
