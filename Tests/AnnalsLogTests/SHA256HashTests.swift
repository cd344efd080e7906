import AnnalsLog
import AnnalsTestSupport
import Crypto
import Testing

@Suite struct SHA256HashTests {
    /// The digest of `first` followed by `second`, in lowercase hexadecimal.
    private static func hexadecimalDigest(_ first: [UInt8], then second: [UInt8] = []) -> String {
        var digest = [UInt8](repeating: 0, count: SHA256Hash.byteCount)
        first.withUnsafeBytes { first in
            second.withUnsafeBytes { second in
                digest.withUnsafeMutableBytes { SHA256Hash.hash(first, then: second, into: $0) }
            }
        }
        return hexadecimal(digest)
    }

    private static func hexadecimal(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    // FIPS 180-2, appendix B: one block, two blocks, and a million bytes; and the empty input.
    @Test(arguments: [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ])
    func hashesTheStandardsVectors(_ input: String, _ expected: String) {
        #expect(Self.hexadecimalDigest(Array(input.utf8)) == expected)
    }

    /// The chain hash hashes the previous hash and the record as two inputs: any split of the
    /// bytes gives the digest of the whole.
    @Test func hashesTwoInputsAsTheirConcatenation() {
        let input = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        for split in 0...input.count {
            #expect(Self.hexadecimalDigest(Array(input[..<split]), then: Array(input[split...]))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        }
    }

    /// The log's hashes were made with swift-crypto's SHA-256; every length of a block's
    /// padding, and several blocks, give the same digests.
    @Test func agreesWithSwiftCrypto() {
        var generator = SeededGenerator(seed: 0x5A256)
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 0...1000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(Self.hexadecimalDigest(bytes) == Self.hexadecimal(SHA256.hash(data: bytes)), "\(bytes.count) bytes")
        }
    }

    @Test func digestOfBytesIsTheirHash() {
        let digest = Array("abc".utf8).withUnsafeBytes { SHA256Hash.digest(of: $0) }
        #expect(Self.hexadecimal(digest) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
