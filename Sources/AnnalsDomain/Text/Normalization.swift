/// Calls `body` with the UTF-8 bytes of `text` in Unicode Normalization Form C.
///
/// Text whose code points all lie below U+0300 is in NFC as it stands: nothing there
/// decomposes, combines or reorders (the first combining marks start at U+0300). That covers
/// ASCII and the Latin-1 and Latin Extended letters most names and articles are written in,
/// and spares them the standard library's normaliser, which works a scalar at a time.
package func withNFCBytes<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
    var text = text
    // U+0300 is 0xCC 0x80 in UTF-8; every lead byte below 0xCC starts a lower code point, and
    // continuation bytes are below 0xC0.
    if text.withUTF8({ bytes in !bytes.contains { $0 >= 0xCC } }) {
        return try text.withUTF8(body)
    }
    // The standard library's NFC, the normalization its own string comparison relies on.
    return try text._nfcCodeUnits.withUnsafeBufferPointer(body)
}
