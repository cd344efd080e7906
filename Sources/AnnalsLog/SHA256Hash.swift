import CSHA256

/// SHA-256, computed by the system's libcrypto with its context on the stack: nothing is
/// allocated per hash, where swift-crypto's `SHA256` allocates a context and copies it to
/// finalize, twice for every event appended. The log's chain hash and an article's content
/// hash are both this digest.
package enum SHA256Hash {
    /// The size of a digest in bytes.
    package static let byteCount = 32

    /// Writes the digest of `first` followed by `second` into the first ``byteCount`` bytes of
    /// `digest`, which must not overlap either input.
    @inline(__always)
    package static func hash(_ first: UnsafeRawBufferPointer, then second: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
                             into digest: UnsafeMutableRawBufferPointer) {
        precondition(digest.count >= byteCount, "a SHA-256 digest needs \(byteCount) bytes")
        annals_sha256(first.baseAddress, first.count, second.baseAddress, second.count, digest.baseAddress)
    }

    /// The digest of `bytes`, as an array of its ``byteCount`` bytes.
    package static func digest(of bytes: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: byteCount) { digest, count in
            hash(bytes, into: UnsafeMutableRawBufferPointer(digest))
            count = byteCount
        }
    }
}
