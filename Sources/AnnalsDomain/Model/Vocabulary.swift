/// What kind of thing a fact reports. A closed set, so a typo in an input is caught.
public enum FactKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case attack
    case ransomPayment = "ransom-payment"
    case shutdown
    case dataTheft = "data-theft"
    case summit
    case talks
    case statement
    case agreement
    case denial
    case accusation
    case request
    case proposal
    case report
    case other

    public var description: String { rawValue }
}

/// The part an actor plays in a fact.
public enum ActorRole: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case attacker
    case target
    case payer
    case recipient
    case participant
    case speaker
    case host
    case subject
    case mentioned

    public var description: String { rawValue }
}

/// What an actor is.
public enum ActorKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case person
    case organisation
    case country
    case group

    public var description: String { rawValue }
}

/// Article, fact and actor ids: 1–100 characters of `A–Z a–z 0–9 . _ -`, starting with a
/// letter or a digit. They become parts of event ids and keys, so they exclude `/` and spaces.
public enum Identifier {
    public static let maximumLength = 100

    public static func isValid(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, bytes.count <= maximumLength, isLetterOrDigit(first) else { return false }
        return bytes.allSatisfy { isLetterOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// What a valid id looks like, for error messages.
    public static let expectation = "1 to 100 characters of letters, digits, '.', '_' and '-', starting with a letter or digit"
}
