import Foundation

/// A directory under the system's temporary directory, removed with everything in it when the
/// value is released. Each test makes its own, so tests never share a store.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "annals-test") {
        var template = Array("\(NSTemporaryDirectory())/\(label).XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed: errno \(errno)")
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A path inside the directory.
    public func appending(_ component: String) -> String { "\(path)/\(component)" }

    /// Writes `text` (UTF-8) to the file `name` in the directory and returns its path.
    public func write(_ text: String, to name: String) throws -> String {
        let file = appending(name)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
