import AnnalsDomain
import AnnalsTimeline

/// One page of a listing: where it starts, how long it is, and whether more follow. Every
/// listing command says so in the same words (tables) and the same fields (JSON).
struct Page {
    /// How many items come before this page.
    let offset: Int
    /// How many items the page holds.
    let count: Int
    let limit: Int
    let hasMore: Bool

    /// The offset of the next page, when there is one.
    var nextOffset: Int? { hasMore ? offset + count : nil }

    /// "23 facts", "2 facts, more follow (--offset 2)", "facts 3–4, more follow (--offset 4)".
    func describe(_ singular: String, _ plural: String) -> String {
        var text: String
        if offset == 0 {
            text = "\(count) \(count == 1 ? singular : plural)"
        } else if count == 0 {
            text = "no \(plural) after the first \(offset)"
        } else {
            text = "\(plural) \(offset + 1)–\(offset + count)"
        }
        if let next = nextOffset { text += ", more follow (--offset \(next))" }
        return text
    }

    /// The paging fields of a listing's JSON object, before its items.
    var jsonMembers: [(String, JSONValue)] {
        [("offset", .integer(offset)), ("limit", .integer(limit)), ("more", .bool(hasMore)), ("next_offset", nextOffset.map { .integer($0) } ?? .null)]
    }

    /// The page `offset..<offset + limit` of `items`.
    static func slice<Item>(_ items: [Item], offset: Int, limit: Int) -> (items: ArraySlice<Item>, page: Page) {
        let start = min(offset, items.count)
        let end = start + min(limit, items.count - start)
        return (items[start..<end], Page(offset: offset, count: end - start, limit: limit, hasMore: end < items.count))
    }
}

extension TimelineResult {
    var page: Page { Page(offset: offset, count: entries.count, limit: limit, hasMore: hasMore) }
}
